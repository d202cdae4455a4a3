//! Operators in Réglages: the manager adds cashiers, resets a forgotten PIN, unlocks an account.

use super::{Desk, Permission};
use crate::operators::{Operator, Operators, Role, Session};
use crate::till::TillError;

impl Desk {
    /// The signed-in manager, who typed their PIN again in the last minutes: adding an
    /// operator, resetting a PIN or unlocking an account hands the till to someone.
    async fn manager(&self) -> Result<Session, TillError> {
        let session = self.require(Permission::Manager).await?;
        self.require_fresh_pin(&session)?;
        session.ok_or(TillError::NotSignedIn)
    }

    /// Every operator (manager).
    pub async fn operators_list(&self) -> Result<Vec<Operator>, TillError> {
        self.require(Permission::Manager).await?;
        Ok(Operators::new(self.till.ledger()).list().await?)
    }

    /// Adds an operator (manager, PIN again).
    pub async fn create_operator(
        &self,
        name: &str,
        pin: &str,
        role: Role,
    ) -> Result<Vec<Operator>, TillError> {
        let by = self.manager().await?;
        let operators = Operators::new(self.till.ledger());
        operators.create_operator(&by, name, pin, role).await?;
        Ok(operators.list().await?)
    }

    /// Sets another operator's PIN and ends their lock (manager, PIN again).
    pub async fn reset_pin(&self, id: i64, pin: &str) -> Result<Vec<Operator>, TillError> {
        let by = self.manager().await?;
        let operators = Operators::new(self.till.ledger());
        operators.reset_pin(&by, id, pin, self.now()).await?;
        Ok(operators.list().await?)
    }

    /// Ends an operator's lock (manager, PIN again).
    pub async fn unlock_operator(&self, id: i64) -> Result<Vec<Operator>, TillError> {
        let by = self.manager().await?;
        let operators = Operators::new(self.till.ledger());
        operators.unlock(&by, id, self.now()).await?;
        Ok(operators.list().await?)
    }

    /// The signed-in operator changes their own PIN.
    pub async fn change_own_pin(&self, current: &str, new: &str) -> Result<(), TillError> {
        let me = self
            .require(Permission::Operator)
            .await?
            .ok_or(TillError::NotSignedIn)?;
        Operators::new(self.till.ledger())
            .change_pin(&me, current, new, self.now())
            .await?;
        Ok(())
    }
}
