import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/jargon-messages.json' with { type: 'json' };
import { AMBIGUITY_WINDOW, createJargonMatcher, isCaseSensitive } from '../../src/domain/jargon.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';

const registry = loadRegistry(DATA_DIR);
const matcher = createJargonMatcher(registry.terms);
const ids = (text: string) => matcher.find(text).map((h) => h.item.id);

describe('jargon matcher on realistic study-channel messages', () => {
  it('has at least 60 messages of every kind, whose expected terms exist', () => {
    expect(fixture.messages.length).toBeGreaterThanOrEqual(60);
    for (const kind of ['question', 'summary', 'code', 'non-english', 'logistics', 'greeting', 'ordinary-english']) {
      expect(fixture.messages.filter((m) => m.kind === kind).length, kind).toBeGreaterThanOrEqual(3);
    }
    expect(fixture.messages.filter((m) => m.expected.length === 0).length).toBeGreaterThanOrEqual(15);
    for (const m of fixture.messages) for (const id of m.expected) expect(registry.termById.has(id), id).toBe(true);
  });

  it('reaches precision ≥ 0.95 and recall ≥ 0.90', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const errors: string[] = [];
    for (const m of fixture.messages) {
      const found = ids(m.text);
      const expected = new Set(m.expected);
      const extra = found.filter((id) => !expected.has(id));
      const missing = m.expected.filter((id) => !found.includes(id));
      tp += found.length - extra.length;
      fp += extra.length;
      fn += missing.length;
      if (extra.length || missing.length) errors.push(`${m.text.slice(0, 50)}… +[${extra}] −[${missing}]`);
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(`jargon fixture: ${fixture.messages.length} messages, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})`);
    expect(precision, errors.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(recall, errors.join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});

describe('jargon matching rules', () => {
  it('reports terms once each, in message order, with the text as written', () => {
    const hits = matcher.find('SAEs are great. The induction heads use an SAE too, and the OV circuit.');
    expect(hits.map((h) => [h.item.id, h.text])).toEqual([
      ['sparse-autoencoder', 'SAEs'],
      ['induction-head', 'induction heads'],
      ['ov-circuit', 'OV circuit'],
    ]);
    expect('SAEs are great.'.slice(hits[0]!.start, hits[0]!.end)).toBe('SAEs');
  });

  it('folds case, plurals, hyphens, spaces and British/American spellings', () => {
    expect(ids('feature visualization')).toEqual(['feature-visualisation']);
    expect(ids('Feature Visualisation')).toEqual(['feature-visualisation']);
    expect(ids('zero-ablation and zero ablation')).toEqual(['zero-ablation']);
    expect(ids('k composition')).toEqual(['k-composition']);
    expect(ids('sparse autoencoders')).toEqual(['sparse-autoencoder']);
    expect(ids('sparseautoencoder')).toEqual(['sparse-autoencoder']);
    expect(ids('d_model and d model')).toEqual(['d-model']);
    expect(ids("the head's output")).toEqual(['head-result']);
  });

  it('prefers the longest match', () => {
    expect(ids('the full OV circuit')).toEqual(['full-ov-circuit']);
    expect(ids('a backup name mover head')).toEqual(['backup-name-mover-head']);
    expect(ids('non-causal attention')).toEqual(['bidirectional-attention']);
    expect(ids('edge attribution patching')).toEqual(['edge-attribution-patching']);
  });

  it('never matches inside a word, a URL, inline code, a code block, a mention or an emoji', () => {
    expect(ids('headache, unembeddingly, SAEx, reloss')).toEqual([]);
    expect(ids('see https://example.com/sparse-autoencoder/induction-head and www.sae.dev')).toEqual([]);
    expect(ids('call `run_with_cache` then `model.OV`')).toEqual([]);
    expect(ids('```\nsae = SparseAutoencoder()  # induction head\n```')).toEqual([]);
    expect(ids('<@300000000000000012> <@&123> <#456> <:sae:789> </glossary lookup:1> @everyone @SAE :sae:')).toEqual([]);
    // Separated by a skipped span, two words are not one label.
    expect(ids('induction <@123> head')).toEqual([]);
  });

  it('drops a match that is only part of a larger identifier', () => {
    expect(ids('my_feature_list and cfg.head in layer 3')).toEqual([]);
    expect(ids('hook_pattern at layer 2')).toEqual(['attention-pattern']);
  });

  it('matches acronyms only as written', () => {
    expect(isCaseSensitive('SAE')).toBe(true);
    expect(isCaseSensitive('CoT')).toBe(true);
    expect(isCaseSensitive('GPT-2')).toBe(false);
    expect(isCaseSensitive('layer norm')).toBe(false);
    expect(ids('opt in, Rome in spring, das Haus, a cot for the baby, a clip of the talk')).toEqual([]);
    expect(ids('OPT, ROME, CoT and CLIP')).toEqual(['opt', 'rome', 'chain-of-thought', 'clip']);
    expect(ids('gpt2 and GPT-2 Small')).toEqual(['gpt-2']);
  });

  it('never matches single-letter labels in free text', () => {
    expect(ids('q and k and v and z')).toEqual([]);
  });

  it('counts ambiguous everyday words only next to a technical word', () => {
    expect(ids('Pay attention. That is a cool feature. The model answered.')).toEqual([]);
    expect(ids('a bug in my loop, my head hurts, the key point, great value')).toEqual([]);
    expect(ids('this SAE feature fires on French')).toEqual(['sparse-autoencoder', 'feature']);
    expect(ids('head 7 in layer 5 attends to the previous token')).toContain('attention-head');
    expect(ids('the loss of the model goes down')).toEqual(['loss-function']);
    // Ambiguous words do not vouch for each other.
    expect(ids('the key and the value')).toEqual([]);
    // The window does not cross a sentence break, and has a fixed width.
    expect(ids('We used SAEs. The feature was nice.')).toEqual(['sparse-autoencoder']);
    const far = `feature ${'word '.repeat(AMBIGUITY_WINDOW)}SAE`;
    expect(ids(far)).toEqual(['sparse-autoencoder']);
    expect(ids(`feature ${'word '.repeat(AMBIGUITY_WINDOW - 1)}SAE`)).toEqual(['feature', 'sparse-autoencoder']);
    // A code span nearby makes the sentence technical.
    expect(ids('the cache from `run_with_cache` is huge')).toEqual(['activation-cache']);
  });

  it('finds every term by each of its labels, written as in the glossary', () => {
    const misses: string[] = [];
    for (const t of registry.terms) {
      for (const label of [t.term, ...t.aliases]) {
        // Single letters are never matched; labels with brackets or commas (N(0, 1)) are lookup-only.
        if (label.replace(/[^\p{L}\p{N}]/gu, '').length <= 1 || /[(),]/.test(label)) continue;
        if (!ids(`In the model, ${label} matters`).includes(t.id)) misses.push(`${t.id}: "${label}"`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('handles empty, huge and hostile text', () => {
    expect(ids('')).toEqual([]);
    expect(ids('   \n\n  ')).toEqual([]);
    expect(ids('🙂🙂🙂 ¿¡ 中文 ')).toEqual([]);
    const big = 'The induction head is copying tokens. '.repeat(400);
    expect(ids(big)).toEqual(['induction-head', 'copying', 'token']);
    expect(ids('`unterminated code and an SAE')).toEqual(['sparse-autoencoder']);
    expect(ids('```\nunterminated fence SAE')).toEqual([]);
  });
});
