/**
 * Deleted means gone from the file: after /privacy delete and after the purge of a departed server, a black-box
 * scan of the SQLite store's raw bytes (main file, WAL and shared-memory index) finds none of the member's id,
 * notes or links. Without secure_delete the freed cells keep the old text; without the truncating checkpoint the
 * WAL keeps every old copy of each rewritten page.
 */
import { existsSync, readFileSync } from 'node:fs';
import sqlite3 from 'sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, button, channel, chatInput, messageFrom, str, sub } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const GUILD = '100000000000000001';
const OTHER = '100000000000000002';
const DAY = 86_400_000;
const NOTE = 'Alice-secret-note-7f3a';
const LINK = 'https://example.org/alice-erased-write-up';
const OTHER_NOTE = 'Departed-server-note-91c2';

/** How often each needle occurs in each of the store's files, byte for byte. */
function scan(file: string, needles: string[]): Record<string, number> {
  const found: Record<string, number> = {};
  for (const suffix of ['', '-wal', '-shm']) {
    const path = file + suffix;
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (const needle of needles) {
      const n = Buffer.from(needle, 'utf8');
      let count = 0;
      for (let at = bytes.indexOf(n); at !== -1; at = bytes.indexOf(n, at + 1)) count++;
      if (count > 0) found[`${needle} in store.sqlite${suffix}`] = count;
    }
  }
  return found;
}

/** As SQLite's automatic checkpoint would at some point: moves the WAL's pages into the main file. */
function checkpoint(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (e) => {
      if (e) return reject(e);
      db.all('PRAGMA wal_checkpoint(PASSIVE)', (err) => db.close(() => (err ? reject(err) : resolve())));
    });
  });
}

describe('erasure leaves nothing in the SQLite file’s bytes', () => {
  let t: TestBot;
  let file: string;
  const guilds = [GUILD, OTHER].map((id, i) => ({ id, name: `Server ${i}`, channels: [{ id: `20000000000000000${i + 1}`, name: 'general' }] }));
  beforeAll(async () => {
    t = await startTestBot({ guilds });
    file = t.storeUrl.replace('sqlite://', '');
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  it('after /privacy delete: not the id, not the notes, not the links', async () => {
    await t.send(chatInput('studygroup', [sub('create', [str('name', 'Cohort'), channel('channel', '200000000000000001')])], { user: ADMIN }));
    await t.send(chatInput('studygroup', [sub('join', [str('name', 'Cohort')])]));
    await t.send(chatInput('progress', [sub('mark', [str('resource', 'arena-1-1-transformer-from-scratch'), str('status', 'reading'), str('note', NOTE)])]));
    await t.send(chatInput('progress', [sub('mark', [str('resource', 'arena-1-1-transformer-from-scratch'), str('status', 'done'), str('note', NOTE)])]));
    await t.send(chatInput('progress', [sub('mark', [str('resource', 'arena-1-1-transformer-from-scratch'), str('status', 'done')])], { user: BOB }));
    await t.send(chatInput('problem', [sub('claim', [str('id', '1.6'), str('intent', 'working'), str('note', NOTE), str('link', LINK)])]));
    await t.send(chatInput('problem', [sub('claim', [str('id', '1.6'), str('intent', 'exploring')])], { user: BOB }));
    await t.send(chatInput('problem', [sub('done', [str('id', '3.1'), str('link', LINK)])]));
    const needles = [ALICE.id, NOTE, LINK];
    // The scan can fail: before the delete it finds everything, in the WAL and (after a checkpoint) the main file.
    expect(Object.keys(scan(file, needles)).length).toBeGreaterThan(0);
    await checkpoint(file);
    expect(Object.keys(scan(file, needles)).filter((k) => k.endsWith('store.sqlite'))).not.toEqual([]);
    // More rewrites after the checkpoint, so the WAL holds copies too.
    await t.send(chatInput('problem', [sub('checkin', [str('id', '1.6')])]));

    const ask = await t.send(chatInput('privacy', [sub('delete')]));
    const done = await t.send(button(ask.body.data.components[0].components[0].custom_id, messageFrom(ask.body.data)));
    expect(done.body.data.content).toMatch(/^Your data in this server is deleted\./);

    expect(scan(file, needles)).toEqual({});
    // Bob's data is untouched.
    expect(scan(file, [BOB.id])).not.toEqual({});
  });

  it('after the 30-day purge of a departed server: nothing of that server’s notes remains', async () => {
    await t.send(chatInput('progress', [sub('mark', [str('resource', 'arena-1-1-transformer-from-scratch'), str('status', 'done'), str('note', OTHER_NOTE)])], { guildId: OTHER, channelId: '200000000000000002', user: BOB }));
    await checkpoint(file);
    expect(scan(file, [OTHER_NOTE])).not.toEqual({});
    const start = t.clock.now();
    t.discord.dispatch('GUILD_DELETE', { id: OTHER }, OTHER);
    await new Promise((resolve) => setTimeout(resolve, 50));
    t.clock.set(start + 31 * DAY);
    await t.bot.scheduler.tick();
    expect((await t.bot.services.repos.progress.get(OTHER, BOB.id)).entries).toEqual({});
    expect(scan(file, [OTHER_NOTE])).toEqual({});
  });
});
