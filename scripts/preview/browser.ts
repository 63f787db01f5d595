/**
 * Screenshots HTML fragments in Debian's Chromium through playwright-core. The browser is never downloaded:
 * it must already be installed (`apt-get install -y chromium`), and the page cannot reach the network (every
 * request other than file:// and data: is aborted). The components library is bundled once from node_modules
 * with esbuild into the output folder and loaded as a classic script from a file:// stage page.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PAGE_CSS } from './render-html.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`No Chromium at ${path}. Install Debian's: sudo apt-get install -y chromium (or set CHROMIUM_PATH). The preview never downloads a browser.`);
  }
  return path;
}

/** Bundles @skyra/discord-components-core (ES modules importing lit) into one classic script. */
export async function bundleComponents(outFile: string): Promise<void> {
  const entry = join(process.cwd(), 'node_modules/@skyra/discord-components-core/dist/index.js');
  await build({ entryPoints: [entry], bundle: true, format: 'iife', minify: true, outfile: outFile, logLevel: 'silent', legalComments: 'none' });
}

export function stageHtml(scriptName: string, width: number, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Induction preview</title><style>:root{--width:${width}px}${PAGE_CSS}</style>
<script src="${scriptName}"></script></head><body><div id="stage">${body}</div></body></html>`;
}

/** Runs in the page: puts the fragment on the stage and waits for every Lit element and image to finish. */
const RENDER_IN_PAGE = `async function (html) {
  const stage = document.getElementById('stage');
  stage.innerHTML = '<discord-messages>' + html + '</discord-messages>';
  const all = (root) => [...root.querySelectorAll('*')].flatMap((e) => [e, ...(e.shadowRoot ? all(e.shadowRoot) : [])]);
  for (let i = 0; i < 3; i++) {
    await Promise.all(all(stage).map((e) => e.updateComplete).filter(Boolean));
    await new Promise((r) => requestAnimationFrame(() => r(null)));
  }
  // Discord shows an embed's image up to 400x300 (the library caps it at 300x300).
  for (const embed of all(stage).filter((e) => e.localName === 'discord-embed' && e.shadowRoot)) {
    const style = document.createElement('style');
    style.textContent = '.discord-embed-image { max-width: 400px !important; max-height: 300px !important; }';
    embed.shadowRoot.append(style);
  }
  await Promise.all(all(stage).filter((e) => e instanceof HTMLImageElement).map((img) => img.decode().catch(() => undefined)));
  await document.fonts.ready;
}`;

export class Screenshotter {
  #context: BrowserContext;
  #page: Page;
  #profile: string;

  private constructor(context: BrowserContext, page: Page, profile: string) {
    this.#context = context;
    this.#page = page;
    this.#profile = profile;
  }

  /** Launches Chromium with an empty profile and opens the stage page in `outDir` (which holds the bundle). */
  static async open(outDir: string, options: { width: number; scale: number }): Promise<Screenshotter> {
    const profile = mkdtempSync(join(tmpdir(), 'induction-preview-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: options.width, height: 800 },
      deviceScaleFactor: options.scale,
      colorScheme: 'dark',
      locale: 'en-US',
      timezoneId: 'Europe/London',
      offline: true,
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return url.startsWith('file:') || url.startsWith('data:') ? route.continue() : route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const stage = join(outDir, '.stage.html');
    writeFileSync(stage, stageHtml('components.js', options.width));
    await page.goto(pathToFileURL(stage).href);
    await page.waitForFunction("customElements.get('discord-message') !== undefined");
    return new Screenshotter(context, page, profile);
  }

  /** Puts `fragment` (children of <discord-messages>) on the stage, waits for it to render, and saves a PNG. */
  async shoot(fragment: string, path: string): Promise<void> {
    // A string, not a function: tsx compiles functions with helpers (__name) that do not exist in the page.
    await this.#page.evaluate(`(${RENDER_IN_PAGE})(${JSON.stringify(fragment)})`);
    await this.#page.locator('#stage > discord-messages').screenshot({ path, animations: 'disabled' });
  }

  async close(): Promise<void> {
    await this.#context.close();
    rmSync(this.#profile, { recursive: true, force: true });
  }
}
