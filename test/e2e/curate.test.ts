import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, autocomplete, bool, button, chatInput, messageFrom, modalSubmit, str, sub, type Actor } from '../harness/interactions.ts';
import { attachmentOption, withAttachments } from '../harness/attachments.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const GUILD = '100000000000000001';
const OTHER = '100000000000000002';
const CURATOR_ROLE = '400000000000000077';
const CAROL: Actor = { id: '300000000000000021', username: 'carol' };

const DEFINITION =
  'Our cohort’s name for reading the residual stream through the unembedding at every layer, averaged over the week’s prompts. We use it in the Tuesday sessions to see when an answer first appears.';
const SUMMARY = 'Notes from cohort 3 on reading circuits end to end: what to look at first, and the exercises we did together.';

describe('/curate and /suggest through the loopback Discord', () => {
  let t: TestBot;
  const where = (user: Actor, guildId = GUILD) => ({ user, guildId });
  const curate = (options: any[], user: Actor = ADMIN, guildId = GUILD) => t.send(chatInput('curate', [sub(options[0], options.slice(1))], where(user, guildId)));
  // Private, so the per-channel cooldown on public answers never gets in the way.
  const lookup = (term: string, guildId = GUILD) => t.send(chatInput('glossary', [sub('lookup', [str('term', term), bool('private', true)])], where(ALICE, guildId)));
  const glossaryChoices = async (q: string, guildId = GUILD) => (await t.send(autocomplete('glossary', [sub('lookup', [str('term', q, true)])], where(ALICE, guildId)))).body.data.choices as { name: string; value: string }[];
  const submit = (customId: string, fields: Record<string, string>, user: Actor = ADMIN, guildId = GUILD) => t.send(modalSubmit(customId, fields, where(user, guildId)));

  const termFields = (term: string, extra: Partial<Record<string, string>> = {}) => ({ term, aliases: '', definition: DEFINITION, source: 'https://example.org/cohort/lens', related: 'induction head', ...extra });

  beforeAll(async () => {
    t = await startTestBot({
      guilds: [
        { id: GUILD, name: 'Study Server', channels: [{ id: '200000000000000001', name: 'general' }] },
        { id: OTHER, name: 'Other Server', channels: [{ id: '200000000000000002', name: 'general' }] },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
    t.clock.advance(60_000);
  });

  it('a curator adds a term and a resource through modals; both appear in lookup, autocomplete, /resources and cross-links', async () => {
    const modal = await curate(['term', str('action', 'add')]);
    expect(modal.body.type).toBe(9);
    expect(modal.body.data.custom_id).toBe('curate:tadd');
    const saved = await submit('curate:tadd', termFields('Cohort lens', { aliases: 'c-lens' }));
    expect(saved.body.data.content).toMatch(/^Added \*\*Cohort lens\*\* \(`srv-cohort-lens`\)/);
    expect(saved.body.data.flags).toBe(64);

    const resModal = await curate(['resource', str('action', 'add'), str('kind', 'guide'), str('level', 'intro'), str('topic', 'circuits')]);
    expect(resModal.body.type).toBe(9);
    const resSaved = await submit(resModal.body.data.custom_id, { title: 'Cohort 3 notes on circuits', url: 'https://example.org/cohort/notes', summary: SUMMARY, authors: 'The cohort (2026)', terms: 'Cohort lens, induction head' });
    expect(resSaved.body.data.content).toMatch(/^Added \*\*Cohort 3 notes on circuits\*\* \(`srv-cohort-3-notes-on-circuits`\)/);

    // Lookup by name and alias, marked as the server's, linked to the server's resource and a shipped term.
    const card = (await lookup('c-lens')).body.data;
    expect(card.embeds[0].title).toBe('Cohort lens');
    expect(card.embeds[0].footer.text).toMatch(/^Server · Source: example\.org/);
    expect(card.embeds[0].fields.find((f: any) => f.name === 'Read more').value).toContain('Cohort 3 notes on circuits');
    expect(card.components[0].components[0].options.map((o: any) => o.value)).toContain('induction-head');
    // The shipped induction-head card now links to the server's resource too.
    const shippedCard = (await lookup('induction-head')).body.data;
    expect(shippedCard.embeds[0].fields.find((f: any) => f.name === 'Read more').value).toMatch(/^• \[Cohort 3 notes on circuits\]/);

    const choices = await glossaryChoices('cohort');
    expect(choices[0]).toEqual({ name: 'Cohort lens · Server', value: 'srv-cohort-lens' });

    const list = (await t.send(chatInput('resources', [str('query', 'cohort notes')], where(ALICE)))).body.data;
    expect(list.embeds[0].description).toContain('Cohort 3 notes on circuits');
    expect(list.embeds[0].description).toContain('Server · Guide');
    const resChoices = (await t.send(autocomplete('resources', [str('query', 'cohort', true)], where(ALICE)))).body.data.choices;
    expect(resChoices).toContainEqual({ name: 'Cohort 3 notes on circuits · Server', value: 'srv-cohort-3-notes-on-circuits' });
    const detail = (await t.send(chatInput('resources', [str('query', 'srv-cohort-3-notes-on-circuits')], where(ALICE)))).body.data;
    expect(detail.embeds[0].footer.text).toMatch(/^Server entry/);
    expect(JSON.stringify(detail.components)).toContain('srv-cohort-lens');
  });

  it('another server sees none of it', async () => {
    const miss = (await lookup('cohort lens', OTHER)).body.data;
    expect(miss.flags).toBe(64);
    expect(miss.content).toMatch(/^No term/);
    expect((await glossaryChoices('cohort', OTHER)).map((c) => c.value)).not.toContain('srv-cohort-lens');
    const list = (await t.send(chatInput('resources', [str('query', 'srv-cohort-3-notes-on-circuits')], where(ALICE, OTHER)))).body.data;
    expect(JSON.stringify(list)).not.toContain('Cohort 3 notes');
  });

  it('refuses members without the curator permission, on commands and on modal submits, until they get the curator role', async () => {
    const refused = await curate(['term', str('action', 'add')], ALICE);
    expect(refused.body.type).toBe(4);
    expect(refused.body.data.content).toMatch(/^Only curators can do that/);
    const sneaky = await submit('curate:tadd', termFields('Sneaky term'), ALICE);
    expect(sneaky.body.data.content).toMatch(/^Only curators/);
    expect(await lookup('sneaky term').then((r) => r.body.data.content)).toMatch(/^No term/);

    const set = await curate(['role', { name: 'role', type: 8, value: CURATOR_ROLE }]);
    expect(set.body.data.content).toContain(`<@&${CURATOR_ROLE}>`);
    expect(set.body.data.allowed_mentions).toMatchObject({ parse: [] });
    const payload = chatInput('curate', [sub('term', [str('action', 'add')])], where(CAROL));
    (payload.member as { roles: string[] }).roles = [CURATOR_ROLE];
    expect((await t.send(payload)).body.type).toBe(9);
  });

  it('refuses invite links, credentials in URLs and plain http, with the reason, and saves nothing', async () => {
    const invite = await submit('curate:tadd', termFields('Invite term', { source: 'https://discord.gg/abcdef' }));
    expect(invite.body.data.content).toMatch(/Nothing was saved/);
    expect(invite.body.data.content).toContain('Discord invite links are not allowed');
    const creds = await submit('curate:tadd', termFields('Creds term', { source: 'https://user:pw@example.org/x' }));
    expect(creds.body.data.content).toContain('must not contain a user name or password');
    const http = await submit('curate:tadd', termFields('Http term', { source: 'http://example.org/x' }));
    expect(http.body.data.content).toContain('https');
    const collide = await submit('curate:tadd', termFields('Another lens', { aliases: 'DLA' }));
    expect(collide.body.data.content).toContain('collides with entry "direct-logit-attribution"');
    const mention = await submit('curate:tadd', termFields('@everyone <@300000000000000012> lens'));
    expect(mention.body.data.allowed_mentions).toMatchObject({ parse: [] });
    const removed = await curate(['term', str('action', 'remove'), str('id', 'srv-everyone-300000000000000012-lens')]);
    expect(removed.body.data.content).toMatch(/^Removed/);
    expect(removed.body.data.allowed_mentions).toMatchObject({ parse: [] });
  });

  it('a member suggests a term; a curator approves it from the queue; it appears and the member hears by DM', async () => {
    const modal = await t.send(chatInput('suggest', [sub('term')], where(BOB)));
    expect(modal.body.type).toBe(9);
    const sent = await submit('suggest:term', termFields('Tuesday probe', { related: '' }), BOB);
    expect(sent.body.data.content).toMatch(/^Thanks! \*\*Tuesday probe\*\* is in the queue/);
    expect((await lookup('tuesday probe')).body.data.content).toMatch(/^No term/);

    const queue = (await curate(['queue'])).body.data;
    expect(queue.embeds[0].title).toBe('Term: Tuesday probe');
    const [approveId, editId, rejectId] = queue.components[0].components.map((b: any) => b.custom_id);
    expect([editId, rejectId]).toEqual([expect.stringMatching(/^curate:qedit:\d+$/), expect.stringMatching(/^curate:qno:\d+$/)]);
    // A non-curator pressing Approve is refused.
    expect((await t.send(button(approveId, messageFrom(queue), where(ALICE)))).body.data.content).toMatch(/^Only curators/);
    const approved = await t.send(button(approveId, messageFrom(queue), where(ADMIN)));
    expect(approved.body.type).toBe(7);
    expect(approved.body.data.content).toMatch(/^Approved \*\*Tuesday probe\*\*/);
    expect(approved.body.data.content).toContain('No suggestions are waiting');
    expect((await lookup('tuesday probe')).body.data.embeds[0].title).toBe('Tuesday probe');
    const dm = t.discord.dms.delivered.get(BOB.id) ?? [];
    expect(dm.at(-1)?.content).toMatch(/Tuesday probe\*\* was approved/);
  });

  it('rejects a suggestion, and tells a member with closed DMs next time they suggest', async () => {
    t.discord.dms.closed.add(BOB.id);
    await submit('suggest:term', termFields('Wednesday probe', { related: '' }), BOB);
    const queue = (await curate(['queue'])).body.data;
    const rejectId = queue.components[0].components[2].custom_id;
    const rejected = await t.send(button(rejectId, messageFrom(queue), where(ADMIN)));
    expect(rejected.body.data.content).toMatch(/^Rejected/);
    const next = await submit('suggest:term', termFields('Thursday probe', { related: '' }), BOB);
    expect(next.body.data.content).toContain('Wednesday probe** was not added this time');
    t.discord.dms.closed.delete(BOB.id);
    // Privacy export covers the waiting suggestion; delete withdraws it.
    const exported = await t.send(chatInput('privacy', [sub('export')], where(BOB)));
    const data = JSON.parse(exported.files[0]!.data.toString('utf8'));
    expect(data.suggestions.pending.map((p: any) => p.term.term)).toEqual(['Thursday probe']);
    await t.bot.services.repos.suggestions.forgetMember(GUILD, BOB.id);
    expect((await t.bot.services.repos.suggestions.get(GUILD)).queue).toEqual([]);
  });

  it('hides a shipped term in this server only, and brings it back', async () => {
    const hidden = await curate(['hide', str('kind', 'term'), str('id', 'logit-lens')]);
    expect(hidden.body.data.content).toMatch(/is now hidden in this server/);
    expect((await lookup('logit-lens')).body.data.content).toMatch(/^No term/);
    expect((await glossaryChoices('logit lens')).map((c) => c.value)).not.toContain('logit-lens');
    expect((await lookup('logit-lens', OTHER)).body.data.embeds[0].title).toBe('Logit lens');
    await curate(['unhide', str('kind', 'term'), str('id', 'logit-lens')]);
    expect((await lookup('logit-lens')).body.data.embeds[0].title).toBe('Logit lens');
  });

  it('exports in the data/ formats, and an import into another server (dry run, then Confirm) reproduces the entries', async () => {
    const exported = await curate(['export']);
    const names = exported.files.map((f) => f.filename).sort();
    expect(names).toEqual(['glossary.json', 'resources.json']);
    const glossary = JSON.parse(exported.files.find((f) => f.filename === 'glossary.json')!.data.toString('utf8'));
    expect(glossary.$schema).toBe('./schemas/glossary.schema.json');
    expect(glossary.terms.map((x: any) => x.id).sort()).toEqual(['srv-cohort-lens', 'srv-tuesday-probe']);

    const options: any[] = [];
    const attachments: any[] = [];
    exported.files.forEach((f, i) => {
      const { option, attachment } = attachmentOption(t.discord, i === 0 ? 'file' : `file${i + 1}`, f.filename, f.data);
      options.push(option);
      attachments.push(attachment);
    });
    // A non-curator in the other server cannot import.
    const refused = await t.send(withAttachments(chatInput('curate', [sub('import', options)], where(ALICE, OTHER)), attachments));
    expect(refused.body.data.content).toMatch(/^Only curators/);
    const payload = withAttachments(chatInput('curate', [sub('import', options)], where(ADMIN, OTHER)), attachments);
    await t.send(payload);
    const dry = (await t.waitForEdit(payload)).body;
    expect(dry.content).toMatch(/^Dry run/);
    expect(dry.content).toContain('adds 2 terms, 1 resource');
    expect((await lookup('cohort lens', OTHER)).body.data.content).toMatch(/^No term/);
    const confirm = await t.send(button(dry.components[0].components[0].custom_id, messageFrom(dry), where(ADMIN, OTHER)));
    expect(confirm.body.data.content).toMatch(/^Imported/);
    const card = (await lookup('cohort lens', OTHER)).body.data;
    expect(card.embeds[0].title).toBe('Cohort lens');
    expect(card.embeds[0].fields.find((f: any) => f.name === 'Read more').value).toContain('Cohort 3 notes on circuits');
    // Confirming twice does nothing.
    const again = await t.send(button(dry.components[0].components[0].custom_id, messageFrom(dry), where(ADMIN, OTHER)));
    expect(again.body.data.content).toMatch(/expired or was already handled/);
  });

  it('keeps everything across a restart, then removes an entry and says members’ progress is kept', async () => {
    await t.send(chatInput('progress', [sub('mark', [str('resource', 'srv-cohort-3-notes-on-circuits'), str('status', 'done')])], where(ALICE)));
    await t.restart();
    expect((await lookup('cohort lens')).body.data.embeds[0].title).toBe('Cohort lens');
    expect((await glossaryChoices('tuesday')).map((c) => c.value)).toContain('srv-tuesday-probe');
    const removed = await curate(['resource', str('action', 'remove'), str('id', 'srv-cohort-3-notes-on-circuits')]);
    expect(removed.body.data.content).toMatch(/^Removed \*\*Cohort 3 notes on circuits\*\*/);
    expect(removed.body.data.content).toContain('progress on it is kept (1 finished it)');
    const card = (await lookup('cohort lens')).body.data;
    expect(JSON.stringify(card.embeds[0].fields ?? [])).not.toContain('Cohort 3 notes');
    const progress = await t.bot.services.repos.progress.get(GUILD, ALICE.id);
    expect(progress.entries['srv-cohort-3-notes-on-circuits']?.status).toBe('done');
  });

  it('a curator adds an open problem; members show, claim and draw it in this server only; removing it keeps the claim', async () => {
    const modal = await curate(['problem', str('action', 'add')]);
    expect(modal.body.type).toBe(9);
    const saved = await submit(modal.body.data.custom_id, { summary: 'Find the circuit our cohort model uses to close brackets, and check it with activation patching.', url: 'https://example.org/cohort/brackets', subcategory: '', difficulty: 'b', terms: 'activation patching' });
    expect(saved.body.data.content).toMatch(/^Added problem \*\*SRV-1\*\*/);
    const shown = (await t.send(chatInput('problem', [sub('show', [str('id', 'SRV-1')])], where(ALICE)))).body.data;
    expect(shown.embeds[0].title).toMatch(/^SRV-1 · /);
    const elsewhere = (await t.send(chatInput('problem', [sub('show', [str('id', 'SRV-1')])], where(ALICE, OTHER)))).body.data;
    expect(elsewhere.flags).toBe(64);
    expect(JSON.stringify(elsewhere)).not.toContain('close brackets');
    // With every shipped set hidden, a draw can only land on the server's problem.
    const sets = t.bot.services.registry.sets.map((x) => x.id);
    for (const id of sets) expect((await curate(['hide', str('kind', 'set'), str('id', id)])).body.data.content).toMatch(/is now hidden/);
    const drawn = (await t.send(chatInput('problem', [sub('random')], where(ALICE)))).body.data;
    expect(drawn.embeds[0].title).toMatch(/^SRV-1 · /);
    for (const id of sets) await curate(['unhide', str('kind', 'set'), str('id', id)]);
    const claimed = await t.send(chatInput('problem', [sub('claim', [str('id', 'SRV-1'), str('intent', 'exploring')])], where(ALICE)));
    expect(claimed.body.type).toBe(4);
    const removed = await curate(['problem', str('action', 'remove'), str('id', 'SRV-1')]);
    expect(removed.body.data.content).toContain('claim on it is kept');
    const claims = await t.bot.services.repos.claims.guild(GUILD);
    expect(claims.claims.some((c) => c.set === 'srv-problems' && c.problemId === 'SRV-1')).toBe(true);
    // The next problem gets a new number, so the kept claim never moves onto it.
    const again = await submit(modal.body.data.custom_id, { summary: 'A second problem of ours, long enough to pass the schema for problems.', url: 'https://example.org/cohort/second', subcategory: '', difficulty: '', terms: '' });
    expect(again.body.data.content).toMatch(/\*\*SRV-2\*\*/);
  });

  it('a curator adds a topic, tags a resource with it, members filter by it; the topic cannot go while a resource uses it', async () => {
    const modal = await curate(['topic', str('action', 'add')]);
    expect(modal.body.type).toBe(9);
    const saved = await submit(modal.body.data.custom_id, { label: 'Cohort projects', description: 'Write-ups of projects our cohorts did together.' });
    expect(saved.body.data.content).toMatch(/^Added topic `srv-cohort-projects`/);
    const resModal = await curate(['resource', str('action', 'add'), str('kind', 'guide'), str('level', 'intermediate'), str('topic', 'Cohort projects')]);
    expect(resModal.body.type).toBe(9);
    await submit(resModal.body.data.custom_id, { title: 'Our bracket-closing project', url: 'https://example.org/cohort/project', summary: SUMMARY, authors: '', terms: '' });
    const list = (await t.send(chatInput('resources', [str('topic', 'srv-cohort-projects')], where(ALICE)))).body.data;
    expect(list.embeds[0].description).toContain('Resources on Cohort projects');
    expect(list.embeds[0].description).toContain('Our bracket-closing project');
    const refused = await curate(['topic', str('action', 'remove'), str('id', 'srv-cohort-projects')]);
    expect(refused.body.data.content).toMatch(/^Nothing was removed/);
    expect(refused.body.data.content).toContain('unknown topic id "srv-cohort-projects"');
  });

  it('a curator edits a suggested resource in the queue before approving it', async () => {
    const form = await t.send(chatInput('suggest', [sub('resource', [str('kind', 'video'), str('level', 'intro'), str('topic', 'circuits')])], where(CAROL)));
    expect(form.body.type).toBe(9);
    const sent = await submit(form.body.data.custom_id, { title: 'A talk on cirucits', url: 'https://example.org/talk', summary: SUMMARY, authors: '', terms: '' }, CAROL);
    expect(sent.body.data.content).toMatch(/^Thanks!/);
    const queue = (await curate(['queue'])).body.data;
    expect(queue.embeds[0].title).toBe('Resource: A talk on cirucits');
    const edit = await t.send(button(queue.components[0].components[1].custom_id, messageFrom(queue), where(ADMIN)));
    expect(edit.body.type).toBe(9);
    expect(edit.body.data.components[0].components[0].value).toBe('A talk on cirucits');
    const saved = await submit(edit.body.data.custom_id, { title: 'A talk on circuits', url: 'https://example.org/talk', summary: SUMMARY, authors: '', terms: '' });
    expect(saved.body.data.content).toMatch(/^Approved \*\*A talk on circuits\*\*/);
    const list = (await t.send(chatInput('resources', [str('query', 'talk on circuits')], where(ALICE)))).body.data;
    expect(list.embeds[0].description).toContain('A talk on circuits');
    expect((t.discord.dms.delivered.get(CAROL.id) ?? []).at(-1)?.content).toMatch(/A talk on circuits\*\* was approved/);
  });
});
