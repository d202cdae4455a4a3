// The core's answers the tests script, in the core's own words (copied from crates/guichet-core:
// operators/error.rs, till.rs, audit/error.rs, desk/trail.rs, engine.rs). The fakes never make
// these up: a test says which answer comes next, and asserts what the UI does with it.

/** @param {string} code @param {string} fr @param {string} en @param {Record<string, unknown>} [more] */
export const coreError = (code, fr, en, more = {}) => ({ error: { code, message: { fr, en }, ...more } });

/** @param {unknown} value */
export const answer = (value) => ({ value });

/** login, set_mode, kiosk_exit, change_own_pin: a wrong PIN. @param {number} remaining */
export const wrongPin = (remaining) =>
  coreError(
    'operator_wrong_pin',
    `Code PIN incorrect. Encore ${remaining} essai(s) avant le verrouillage du compte.`,
    `Wrong PIN. ${remaining} attempt(s) left before the account locks.`,
  );

/** The account is locked until `at` (HH:MM:SS, UTC). @param {string} at */
export const accountLocked = (at) =>
  coreError(
    'operator_locked',
    `Compte verrouillé après trop de codes PIN incorrects. Réessayez après ${at} (heure UTC/GMT) ou demandez au responsable de le déverrouiller.`,
    `Account locked after too many wrong PINs. Try again after ${at} (UTC/GMT) or ask the manager to unlock it.`,
  );

export const sessionLocked = coreError(
  'session_locked',
  "La caisse s'est verrouillée après un moment sans activité. Saisissez votre code PIN.",
  'The till locked itself after a while without activity. Enter your PIN.',
);

export const liveWithoutKeys = coreError(
  'live_without_keys',
  "Le mode réel demande les clés d'au moins un fournisseur. Saisissez-les dans Réglages › Clés fournisseurs, puis réessayez.",
  'Live mode needs the keys of at least one provider. Enter them in Settings › Provider keys, then try again.',
);

/** @param {number} count */
export const operationsPending = (count) =>
  coreError(
    'operations_pending',
    `${count} opération(s) en cours : attendez leur résultat (Historique) avant de changer de mode.`,
    `${count} operation(s) still in progress: wait for their result (History) before switching mode.`,
  );

/** @param {string} name */
export const nameTaken = (name) =>
  coreError(
    'operator_name_taken',
    `Un opérateur nommé « ${name} » existe déjà. Choisissez un autre nom.`,
    `An operator named "${name}" already exists. Choose another name.`,
  );

/** audit_verify: the chain holds, every entry sealed with the keyring's key. @param {number} n */
export const trailIntact = (n) =>
  answer({
    ok: true,
    status: 'intact',
    entries: n,
    broken_at: null,
    key: 'present',
    legacy: 0,
    unverifiable: [],
    message: { fr: `Journal intact : ${n} entrées vérifiées.`, en: `Trail intact: ${n} entries checked.` },
  });

/** audit_verify: entry `seq` was edited. @param {number} n @param {number} seq */
export const trailEdited = (n, seq) =>
  answer({
    ok: false,
    status: 'broken',
    entries: n,
    broken_at: seq,
    key: 'present',
    legacy: 0,
    unverifiable: [],
    message: {
      fr: `Le journal d'audit a été altéré : l'entrée n° ${seq} a été modifiée. Exportez le journal et contactez le support.`,
      en: `The audit trail has been tampered with: entry #${seq} was edited. Export the trail and contact support.`,
    },
  });

/**
 * audit_verify: the keyring lost the key of the segment `first`..`last`; a new one started after.
 * @param {number} n @param {number} first @param {number} last
 */
export const trailKeyLost = (n, first, last) =>
  answer({
    ok: false,
    status: 'unverifiable',
    entries: n,
    broken_at: null,
    key: 'renewed',
    legacy: 0,
    unverifiable: [{ segment: 1, first_seq: first, last_seq: last, key_id: '0123456789abcdef' }],
    message: {
      fr: `Clé du journal perdue par le trousseau : entrées ${first} à ${last} (segment 1) invérifiables sans leur clé (ni altérées, ni vérifiées). Un nouveau segment scellé a commencé ; ${n} entrées en tout.`,
      en: `The keyring lost the trail's key: entries ${first} to ${last} (segment 1) cannot be verified without their key (neither tampered with nor verified). A new sealed segment has started; ${n} entries in all.`,
    },
  });

/**
 * A refused submit (or confirm_otp): one refusal per field; the message joins theirs, as the
 * engine does.
 * @param {{ code: string, field: string, extra?: string | null, fr: string, en: string }[]} list
 */
export const refused = (list) => {
  const refusals = list.map((r) => ({ code: r.code, field: r.field, extra: r.extra ?? null, message: { fr: r.fr, en: r.en } }));
  return coreError('refused', list.map((r) => r.fr).join(' '), list.map((r) => r.en).join(' '), { refusals });
};

/** check_connection before any key. @param {string} name the provider's name (DEXCHANGE) */
export const keysMissing = (name) =>
  coreError('keys_missing', `Aucune clé ${name} dans le trousseau : saisissez-la d'abord.`, `No ${name} key in the keyring: enter it first.`);

/** save_settings: a provider's address that does not start with https://. @param {string} url */
export const urlRefused = (url) =>
  coreError(
    'invalid_setting',
    `Adresse refusée : ${url}. Elle commence par https:// (les clés y sont envoyées).`,
    `Address refused: ${url}. It starts with https:// (the keys are sent there).`,
  );

/** submit: the intent was written, then recording what followed failed (engine/error.rs). @param {string} id */
export const unsettled = (id) =>
  coreError(
    'operation_unsettled',
    "Résultat pas encore connu — ne refaites pas l'opération. Elle est suivie automatiquement : son statut s'affiche ici et dans l'Historique.",
    'Outcome not known yet — do not redo the operation. It is followed automatically: its status shows here and in the History.',
    { operation_id: id },
  );

/** settle_review: no note (desk/review.rs `check_note`). */
export const noteRequired = coreError(
  'invalid_setting',
  'La note est obligatoire : écrivez ce que vous avez vu chez le fournisseur (référence, date, montant).',
  'The note is required: write what you saw at the provider (reference, date, amount).',
);

// ── The providers' services lists (crates/guichet-core/src/account_services.rs) ─────────────

/** A catalog service a provider's account does not offer. @param {string} code @param {{fr: string, en: string}} name @param {string} [country] */
export const missingService = (code, name, country = 'SN') => ({ code, name, country });

/**
 * DEXCHANGE's list read at `at`: the catalog services it does not name.
 * @param {string} at @param {ReturnType<typeof missingService>[]} missing
 */
export const dexchangeListed = (at, missing) => ({
  provider: 'dexchange',
  state: 'listed',
  read_at: at,
  missing,
  message:
    missing.length === 0
      ? { fr: 'DEXCHANGE : le compte propose tous les services du catalogue.', en: 'DEXCHANGE: the account offers every service of the catalog.' }
      : {
          fr: `DEXCHANGE : ${missing.length} service(s) du catalogue ne sont pas ouverts sur le compte ; ils ne sont pas proposés aux caissiers.`,
          en: `DEXCHANGE: ${missing.length} catalog service(s) are not open on the account; cashiers are not offered them.`,
        },
});

/** DEXCHANGE did not answer at `at`: nothing hidden. @param {string} at */
export const dexchangeUnreachable = (at) => ({
  provider: 'dexchange',
  state: 'unreachable',
  read_at: at,
  missing: [],
  message: {
    fr: "DEXCHANGE injoignable : liste des services non lue, aucun service n'est masqué.",
    en: 'DEXCHANGE unreachable: services list not read, no service is hidden.',
  },
});

/** A provider without a documented services list. @param {'easytransfert' | 'unipesa'} provider */
export const listNotDocumented = (provider) => {
  const name = provider === 'easytransfert' ? 'EASYTRANSFERT' : 'Unipesa';
  return {
    provider,
    state: 'not_documented',
    read_at: null,
    missing: [],
    message: { fr: `${name} ne publie pas de liste des services : le catalogue fait foi.`, en: `${name} publishes no services list: the catalog applies.` },
  };
};

/** submit / bill_inquiry: the account does not offer the service. @param {string} name @param {string} provider */
export const serviceNotOnAccount = (name, provider) =>
  coreError(
    'service_not_on_account',
    `${name} n'est pas ouvert sur le compte ${provider} de la boutique : impossible de le proposer (Réglages › Services).`,
    `${name} is not open on the shop's ${provider} account: it cannot be offered (Settings › Services).`,
  );

/** A sensitive change without the PIN typed again (till/error.rs PinRequired). */
export const pinRequired = coreError(
  'pin_required',
  'Ce changement demande à nouveau votre code PIN de responsable.',
  'This change needs your manager PIN again.',
);

/** save_settings: a provider address on a host the provider does not document. @param {string} host */
export const hostUnconfirmed = (host) =>
  coreError(
    'provider_host_unconfirmed',
    `L'adresse ${host} n'est pas celle que le fournisseur documente : les clés y seraient envoyées. Confirmez seulement si vous êtes sûr de cette adresse.`,
    `The address ${host} is not the one the provider documents: the keys would be sent there. Confirm only if you are sure of this address.`,
    { host },
  );

/** save_report_pdf: the file could not be written (day/error.rs). @param {string} path @param {string} detail */
export const reportNotSaved = (path, detail) =>
  coreError(
    'report_not_saved',
    `Le rapport n'a pas pu être enregistré dans ${path} (${detail}). Vérifiez la place sur le disque.`,
    `The report could not be saved to ${path} (${detail}). Check the disk space.`,
  );

/** close_shift: the counted cash differs (day/error.rs, amounts as the core formats them). @param {string} diff @param {string} expected @param {string} counted */
export const shiftDifference = (diff, expected, counted) =>
  coreError(
    'shift_difference_needs_approval',
    `Écart de caisse de ${diff} (attendu ${expected}, compté ${counted}) : un responsable doit le valider avec une note et son code PIN.`,
    `Cash difference of ${diff} (expected ${expected}, counted ${counted}): a manager must approve it with a note and their PIN.`,
  );
