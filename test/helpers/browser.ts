import fs from 'node:fs';
import { Browser, chromium, Download, Page } from 'playwright-core';

// The console tests run the pages in Debian's Chromium (apt-get install chromium), driven by playwright-core.
const CHROMIUM =
  process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

/** The operator's zone, as the pages show dates and times. */
export const ZONE = 'Asia/Almaty';
/** Today in the operator's zone, YYYY-MM-DD. */
export const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: ZONE });

export interface ConsoleBrowser {
  /** A new page at `url`; the errors it throws are collected in `errors` (a test expects none). */
  open(url: string): Promise<{ page: Page; errors: string[] }>;
}

/** One Chromium for the test file: launched before its tests, closed after them. */
export function useBrowser(): ConsoleBrowser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!CHROMIUM)
      throw new Error('Chromium is needed for the console tests: apt-get install chromium (or set CHROMIUM_PATH)');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async open(url) {
      if (!browser) throw new Error('Chromium is not running: call useBrowser() at the top of the test file');
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url);
      return { page, errors };
    },
  };
}

/** Fills the sign-in form with an API token and submits it. */
export async function signIn(page: Page, token: string) {
  await page.fill('#token', token);
  await page.click('#signin');
}

/** Text with every kind of space (no-break, narrow no-break) as a plain one. */
export const normal = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
export const text = async (page: Page, selector: string) => normal(await page.textContent(selector));

/** The file a click downloads, with its content. */
export async function downloaded(
  page: Page,
  click: () => Promise<void>,
): Promise<{ download: Download; content: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { download, content: fs.readFileSync(file!) };
}
