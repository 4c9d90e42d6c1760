import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('printable', () => {
  it('leaves ordinary text alone, accents and emoji included', () => {
    expect(printable('lr-study ×2 — café 🎯')).toBe('lr-study ×2 — café 🎯');
  });

  it('shows control characters and bidirectional overrides as escapes', () => {
    expect(printable('a\u001b[2Jb\rc\n\td\u0007\u007f\u009b')).toBe('a\\e[2Jb\\rc\\n\\td\\x07\\x7f\\x9b');
    expect(printable('x\u202ey\u2066')).toBe('x\\u202ey\\u2066');
  });
});
