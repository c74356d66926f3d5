// Map files name records by id; ids are hex, and some hex reads as a YAML number.
import { describe, expect, it } from '@jest/globals';
import { parseStructured } from '../src/files.js';

describe('parseStructured', () => {
  it('keeps every key as written, even one that YAML reads as a number', () => {
    // A generated id all digits but one `e` (it failed a test once in a few hundred runs) and a leading zero.
    const text = 'TMPL:\n  863345325853e20: {action: IGNORE}\n  0123456789: {action: CREATE}\n';
    expect(parseStructured(text, 'map-file')).toEqual({
      TMPL: { '863345325853e20': { action: 'IGNORE' }, '0123456789': { action: 'CREATE' } },
    });
  });

  it('still reads values by their YAML type', () => {
    expect(parseStructured('count: 12\nflag: true\nname: 0x1F\n', 'file')).toEqual({
      count: 12,
      flag: true,
      name: 31,
    });
  });
});
