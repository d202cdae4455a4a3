//! TypeScript bindings for the UI, generated from the Rust types with ts-rs.
//!
//! `ui/src/lib/bindings.ts` is checked in; the test below fails while it is stale and rewrites it
//! when run with `UPDATE_BINDINGS=1` (`make bindings`).

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use guichet_core::account_services::{
        AccountServices, ListState, MissingService, ProviderServices,
    };
    use guichet_core::app_info::{AppInfo, Mode};
    use guichet_core::audit::{AuditEntry, AuditQuery, KeyState, UnverifiableSpan};
    use guichet_core::catalog::{
        ExtraField, Kind, Offer, OperationRequest, OtpSyntax, Provider, Refusal, RefusalCode,
        RefusalField, Service,
    };
    use guichet_core::connector::{Balance, Bill};
    use guichet_core::day::report::{CashSummary, Line, OpLine, ShiftLine, Tally};
    use guichet_core::day::{
        Approval, CashCount, CashMovement, Counted, Direction, FloatLine, FloatReading,
        FloatStatus, Moment, ReportKind, SettledLine, Shift, ShiftReport,
    };
    use guichet_core::desk::{
        AuditCheck, AuditExport, AuditStatus, ConnectionCheck, CustomerView, DaySettings, FirstRun,
        LoginName, OperationDetail, PrintOutcome, ProviderKey, ProviderStatus, ReportPrint,
        ReviewItem, ReviewOutcome, SavedReport, ShiftClosed,
    };
    use guichet_core::engine::{OperationUpdate, SubmitRequest};
    use guichet_core::ledger::{
        EventSource, HistoryQuery, Operation, OperationEvent, OperationStatus,
    };
    use guichet_core::money::{Currency, Money};
    use guichet_core::operators::{Operator, Role, Session};
    use guichet_core::phone::{Country, PhoneFormat, SnOperator};
    use guichet_core::printer::{PrinterConfig, PrinterConnection};
    use guichet_core::receipt::CopyKind;
    use guichet_core::receipt::PaperWidth;
    use guichet_core::settings::{Settings, SettingsPatch};
    use guichet_core::setup::ProviderUrls;
    use guichet_core::text::{Language, Localized};
    use ts_rs::{Config, TS};

    use crate::commands::ReceiptText;
    use crate::error::CommandError;

    const HEADER: &str = "// Generated from the Rust types by `cargo test -p guichet -- bindings` (ts-rs). Do not edit by hand:\n// run `make bindings` after changing a Rust type; a test fails while this file is stale.\n";

    /// Every type the UI receives, in dependency order.
    fn render() -> String {
        let cfg = Config::new().with_large_int("number");
        let decls = [
            Language::decl(&cfg),
            Localized::decl(&cfg),
            Mode::decl(&cfg),
            Role::decl(&cfg),
            Session::decl(&cfg),
            AppInfo::decl(&cfg),
            CommandError::decl(&cfg),
            Currency::decl(&cfg),
            Money::decl(&cfg),
            Country::decl(&cfg),
            PhoneFormat::decl(&cfg),
            SnOperator::decl(&cfg),
            Provider::decl(&cfg),
            Kind::decl(&cfg),
            ExtraField::decl(&cfg),
            OtpSyntax::decl(&cfg),
            Offer::decl(&cfg),
            Service::decl(&cfg),
            RefusalCode::decl(&cfg),
            RefusalField::decl(&cfg),
            Refusal::decl(&cfg),
            OperationStatus::decl(&cfg),
            Operation::decl(&cfg),
            OperationEvent::decl(&cfg),
            EventSource::decl(&cfg),
            HistoryQuery::decl(&cfg),
            OperationRequest::decl(&cfg),
            Bill::decl(&cfg),
            Balance::decl(&cfg),
            SubmitRequest::decl(&cfg),
            OperationUpdate::decl(&cfg),
            CustomerView::decl(&cfg),
            OperationDetail::decl(&cfg),
            CopyKind::decl(&cfg),
            ReceiptText::decl(&cfg),
            PrintOutcome::decl(&cfg),
            FirstRun::decl(&cfg),
            LoginName::decl(&cfg),
            Operator::decl(&cfg),
            PaperWidth::decl(&cfg),
            PrinterConnection::decl(&cfg),
            PrinterConfig::decl(&cfg),
            ProviderUrls::decl(&cfg),
            Settings::decl(&cfg),
            SettingsPatch::decl(&cfg),
            ProviderKey::decl(&cfg),
            ConnectionCheck::decl(&cfg),
            ProviderStatus::decl(&cfg),
            ListState::decl(&cfg),
            MissingService::decl(&cfg),
            ProviderServices::decl(&cfg),
            AccountServices::decl(&cfg),
            AuditQuery::decl(&cfg),
            AuditEntry::decl(&cfg),
            AuditStatus::decl(&cfg),
            KeyState::decl(&cfg),
            UnverifiableSpan::decl(&cfg),
            AuditCheck::decl(&cfg),
            AuditExport::decl(&cfg),
            ReviewOutcome::decl(&cfg),
            ReviewItem::decl(&cfg),
            CashCount::decl(&cfg),
            Counted::decl(&cfg),
            Shift::decl(&cfg),
            Direction::decl(&cfg),
            CashMovement::decl(&cfg),
            Approval::decl(&cfg),
            ReportKind::decl(&cfg),
            Line::decl(&cfg),
            Tally::decl(&cfg),
            OpLine::decl(&cfg),
            CashSummary::decl(&cfg),
            ShiftLine::decl(&cfg),
            SettledLine::decl(&cfg),
            FloatLine::decl(&cfg),
            ShiftReport::decl(&cfg),
            ShiftClosed::decl(&cfg),
            ReportPrint::decl(&cfg),
            SavedReport::decl(&cfg),
            Moment::decl(&cfg),
            FloatReading::decl(&cfg),
            FloatStatus::decl(&cfg),
            DaySettings::decl(&cfg),
        ];
        let mut out = String::from(HEADER);
        for decl in decls {
            out.push_str("\nexport ");
            out.push_str(&decl);
            out.push('\n');
        }
        out
    }

    #[test]
    fn bindings_are_fresh() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let fresh = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("write bindings.ts");
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "ui/src/lib/bindings.ts is stale: run `make bindings` and commit it"
        );
    }
}
