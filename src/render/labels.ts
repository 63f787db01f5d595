/** Human labels for registry slugs: members read "reading list", never "reading-list" (src/render/README.md). */
import type { Level, ResourceKind } from '../registry/schema.ts';

export const KIND_LABEL: Record<ResourceKind, string> = {
  guide: 'guide',
  tutorial: 'tutorial',
  paper: 'paper',
  video: 'video',
  playlist: 'playlist',
  tool: 'tool',
  course: 'course',
  'reading-list': 'reading list',
  'problem-list': 'problem list',
  glossary: 'glossary',
};

export const KIND_PLURAL: Record<ResourceKind, string> = {
  guide: 'guides',
  tutorial: 'tutorials',
  paper: 'papers',
  video: 'videos',
  playlist: 'playlists',
  tool: 'tools',
  course: 'courses',
  'reading-list': 'reading lists',
  'problem-list': 'problem lists',
  glossary: 'glossaries',
};

export const LEVEL_LABEL: Record<Level, string> = { intro: 'intro', intermediate: 'intermediate', advanced: 'advanced' };

/** A kind's label for a slug that may be stale or forged (falls back to the slug with spaces). */
export const kindLabel = (kind: string): string => KIND_LABEL[kind as ResourceKind] ?? kind.replace(/-/g, ' ');
export const kindPlural = (kind: string): string => KIND_PLURAL[kind as ResourceKind] ?? `${kind.replace(/-/g, ' ')}s`;
/** Capitalised, for the start of a line or a choice name: "Reading list". */
export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
