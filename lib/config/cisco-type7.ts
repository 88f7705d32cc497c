// Cisco "type 7" passwords (`key-string 7 0822455D0A16`) are not encryption:
// the first two digits pick a start offset into a fixed, publicly known key,
// and each following hex octet is the clear character XOR that key. IOS shows
// them in running-configs, so engineers paste them; ikelb decodes them so the
// same config works, and documents that type 7 protects nothing.

const TYPE7_KEY = 'dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87';

/** The clear text of a type-7 string, or an error message saying what is wrong with it. */
export function decodeType7(encoded: string): { ok: true; value: string } | { ok: false; message: string } {
  if (!/^[0-9]{2}(?:[0-9A-Fa-f]{2})*$/.test(encoded) || encoded.length < 4) {
    return { ok: false, message: 'a type-7 string is two decimal digits followed by hex pairs (e.g. 0822455D0A16)' };
  }
  const offset = Number(encoded.slice(0, 2));
  if (offset >= TYPE7_KEY.length) {
    return { ok: false, message: `a type-7 string starts with an offset 00-${TYPE7_KEY.length - 1}` };
  }
  let clear = '';
  for (let i = 2, k = offset; i < encoded.length; i += 2, k += 1) {
    const octet = parseInt(encoded.slice(i, i + 2), 16);
    clear += String.fromCharCode(octet ^ TYPE7_KEY.charCodeAt(k % TYPE7_KEY.length));
  }
  return { ok: true, value: clear };
}
