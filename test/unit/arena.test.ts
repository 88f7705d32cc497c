import t from 'tap';
import { allocRetained, retainCopy } from '../../lib/arena';

t.test('long-lived slices are zeroed, 16-octet aligned, never overlap, and share a slab', async (t) => {
  const a = allocRetained(40);
  a.fill(0xaa);
  const b = allocRetained(40);
  t.equal(b.length, 40);
  t.ok(b.every((x) => x === 0), 'a new slice is zeroed');
  t.ok(a.every((x) => x === 0xaa), 'writing one slice leaves the other alone');
  t.equal(b.byteOffset % 16, 0, 'aligned like malloc');
  t.equal(a.buffer, b.buffer, 'small slices share one slab');
  t.ok(a.byteOffset + a.length <= b.byteOffset || b.byteOffset + b.length <= a.byteOffset, 'no overlap');
});

t.test('a request bigger than a slice limit gets memory of its own; a full slab starts a new one', async (t) => {
  const big = allocRetained(4096);
  t.equal(big.length, 4096);
  t.equal(big.byteOffset, 0);
  const first = allocRetained(1024);
  let later = first;
  for (let i = 0; i < 20 && later.buffer === first.buffer; i++) later = allocRetained(1024);
  t.not(later.buffer, first.buffer, 'a new slab once the first is used up');
  t.ok(later.every((x) => x === 0));
});

t.test('retainCopy copies: changing the source afterwards does not change the copy', async (t) => {
  const src = Buffer.from('peer.example.com');
  const kept = retainCopy(src);
  src.fill(0);
  t.equal(kept.toString(), 'peer.example.com');
});
