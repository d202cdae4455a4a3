//! Code page PC858 (CP850 with € at 0xD5): the page every ESC/POS printer has that holds all
//! of French (é, è, ê, à, â, ç, ô, î, û, ù, ë, ï, « », and their capitals).
//!
//! Our own table rather than the `escpos` crate's: its 0.20 table maps `-` to 0xF0 (a soft
//! hyphen), `Ô` to 0xE3 (`Ò`) and shifts `¿ ® ⌐`, which would misprint references and UUIDs.

/// Characters 0x80..=0xFF of PC858, in order.
const HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', // 0x80
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', 'ø', '£', 'Ø', '×', 'ƒ', // 0x90
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '®', '¬', '½', '¼', '¡', '«', '»', // 0xA0
    '░', '▒', '▓', '│', '┤', 'Á', 'Â', 'À', '©', '╣', '║', '╗', '╝', '¢', '¥', '┐', // 0xB0
    '└', '┴', '┬', '├', '─', '┼', 'ã', 'Ã', '╚', '╔', '╩', '╦', '╠', '═', '╬', '¤', // 0xC0
    'ð', 'Ð', 'Ê', 'Ë', 'È', '€', 'Í', 'Î', 'Ï', '┘', '┌', '█', '▄', '¦', 'Ì', '▀', // 0xD0
    'Ó', 'ß', 'Ô', 'Ò', 'õ', 'Õ', 'µ', 'þ', 'Þ', 'Ú', 'Û', 'Ù', 'ý', 'Ý', '¯', '´', // 0xE0
    '\u{AD}', '±', '‗', '¾', '¶', '§', '÷', '¸', '°', '¨', '·', '¹', '³', '²', '■',
    '\u{A0}', // 0xF0
];

/// One character in PC858. Printable ASCII is itself; characters the page lacks get the
/// nearest ASCII (`—` → `-`, `’` → `'`, `œ` → `o`…) or `?`; control characters become spaces.
/// Always exactly one byte per character, so column counts do not change.
pub fn encode_char(c: char) -> u8 {
    if c.is_ascii() {
        return if c.is_ascii_control() { b' ' } else { c as u8 };
    }
    if let Some(i) = HIGH.iter().position(|&h| h == c) {
        // `i` < 128, so this is 0x80..=0xFF.
        return 0x80 | i as u8;
    }
    match c {
        '\u{202F}' | '\u{2009}' | '\u{2007}' | '\u{2002}' | '\u{2003}' => b' ',
        '—' | '–' | '‐' | '‑' | '−' => b'-',
        '‘' | '’' | '‚' | '′' => b'\'',
        '“' | '”' | '„' | '″' => b'"',
        '…' => b'.',
        'œ' => b'o',
        'Œ' => b'O',
        'Ÿ' => b'Y',
        c if c.is_control() => b' ',
        _ => b'?',
    }
}

/// A text in PC858, one byte per character.
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().map(encode_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_letters_have_their_pc858_bytes() {
        assert_eq!(encode("é"), [0x82]);
        assert_eq!(encode("è"), [0x8A]);
        assert_eq!(encode("à"), [0x85]);
        assert_eq!(encode("ç"), [0x87]);
        assert_eq!(encode("ô"), [0x93]);
        assert_eq!(encode("ê"), [0x88]);
        assert_eq!(encode("É"), [0x90]);
        assert_eq!(encode("À"), [0xB7]);
        assert_eq!(encode("Ô"), [0xE2]);
        assert_eq!(encode("È"), [0xD4]);
        assert_eq!(encode("«»"), [0xAE, 0xAF]);
        assert_eq!(encode("€"), [0xD5]);
        assert_eq!(encode("n°"), [b'n', 0xF8]);
    }

    #[test]
    fn ascii_stays_and_the_rest_falls_back_to_one_byte() {
        assert_eq!(encode("A-b_9:."), b"A-b_9:.");
        assert_eq!(encode("a — b’c"), b"a - b'c");
        assert_eq!(encode("\u{1b}@\n"), b" @ ");
        assert_eq!(encode("12\u{202F}500"), b"12 500");
        assert_eq!(encode("😊"), b"?");
        for c in ['é', 'x', '—', '😊', '\u{1b}', 'œ'] {
            assert_eq!(encode(&c.to_string()).len(), 1);
        }
    }
}
