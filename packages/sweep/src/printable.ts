const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/**
 * `text` safe to print on a terminal: C0/C1 control characters (ESC, CR, …) and the bidirectional
 * overrides that reorder what follows them are shown as escapes (`\e`, `\r`, `\x07`, `\u202e`), so a
 * name cannot move the cursor, clear the screen or disguise what is printed after it.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (char) => {
    const code = char.charCodeAt(0);
    return (
      NAMED[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`)
    );
  });
}
