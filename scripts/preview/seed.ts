/**
 * A seeded Math.random for the preview: /problem random, quiz shuffles, interaction tokens and session ids come
 * out the same every run. The recorder reseeds before every step from its number and name, so a change in what one
 * step draws does not change what later steps draw.
 */
export function seedRandom(seed: string | number): void {
  let a = typeof seed === 'number' ? seed | 0 : [...seed].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193), 0x811c9dc5);
  // mulberry32
  Math.random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
