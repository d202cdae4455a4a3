// Woyofal tokens (20 digits) and other voucher codes, as the cashier reads them out.

/** The token's digits and letters only (what is copied to the clipboard). */
export function tokenCharacters(token: string): string {
  return token.replace(/[^0-9A-Za-z]/g, '');
}

/** `12345678901234567890` → `1234 5678 9012 3456 7890`. */
export function groupToken(token: string, size = 4): string {
  const chars = tokenCharacters(token);
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += size) groups.push(chars.slice(i, i + size));
  return groups.join(' ');
}

/** The groups, for a display that lays them out one by one. */
export function tokenGroups(token: string, size = 4): string[] {
  const grouped = groupToken(token, size);
  return grouped === '' ? [] : grouped.split(' ');
}
