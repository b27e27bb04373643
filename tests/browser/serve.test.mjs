// Browser test of `dossier serve`, in Debian's Chromium driven by
// playwright-core. Usage: node serve.test.mjs BINARY SITE_DIR SHOTS_DIR
// (SITE_DIR is a copy: the test edits its files).
//
// Opens the home page, goes to an article, follows an entity link to the
// entity's page and a mention snippet back to the article, and checks that
// the mention's anchor exists and is scrolled into view. Then edits the
// article on disk and waits for the open page to reload with the new text,
// breaks it (an unknown entity) and sees the errors over the page, also after
// a reload, fixes it and sees them go. Screenshots of an article and an
// entity page at 1280 and 375 px go to SHOTS_DIR; at 375 px neither they
// nor pages showing words too long for the line scroll sideways. Every wait is bounded; any
// failure exits 1.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import net from "node:net";

const [bin, site, shots] = process.argv.slice(2);
if (!bin || !site || !shots) {
  console.error("usage: node serve.test.mjs BINARY SITE_DIR SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const freePort = () =>
  new Promise((ok, ko) => {
    const s = net.createServer().on("error", ko);
    s.listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
  });
const port = await freePort();
const server = spawn(bin, ["serve", "--root", site, "--port", String(port)], {
  stdio: ["ignore", "pipe", "inherit"],
});
let serverOut = "";
server.stdout.on("data", (d) => {
  serverOut += d;
  process.stdout.write(d);
});
let browser;
const stop = async (code) => {
  clearTimeout(overall);
  if (browser) await browser.close().catch(() => {});
  server.kill();
  process.exit(code);
};
const fail = (msg) => {
  console.error("FAIL:", msg);
  return stop(1);
};
const overall = setTimeout(() => fail("the whole test took over 180 s"), 180_000);
server.on("exit", (code) => fail(`serve exited early (status ${code})`));

// The root URL redirects to the site's base path: wait for serve's line.
const deadline = Date.now() + 30_000;
while (!/Serving .* at (http:\S+)/.test(serverOut)) {
  if (Date.now() > deadline) await fail("serve did not start within 30 s");
  await new Promise((r) => setTimeout(r, 100));
}
const base = serverOut.match(/Serving .* at (http:\S+)/)[1];
console.log(`serving at ${base}`);

/** The article file whose front matter has this title. */
function articleFile(title) {
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : [],
    );
  for (const file of walk(join(site, "content/articles"))) {
    const m = readFileSync(file, "utf8").match(/^title\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(#.*)?$/m);
    if (!m) continue;
    const t = m[1].startsWith('"') ? JSON.parse(m[1]) : m[1].slice(1, -1);
    if (t === title) return file;
  }
  throw new Error(`no article file has the title ${JSON.stringify(title)}`);
}

const inView = (locator) =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0;
  });

try {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    timeout: 30_000,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(15_000);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));

  // Home → an article (the demo's Rubio visit if listed, else the newest).
  await page.goto(base);
  const preferred = page.locator(".article-item-title a[href$='/articles/rubio-in-mexico-city/']");
  const link = (await preferred.count()) ? preferred.first() : page.locator(".article-item-title a").first();
  const articleUrl = new URL(await link.getAttribute("href"), base).href;
  await link.click();
  await page.waitForURL(articleUrl);
  const title = (await page.locator("main h1").first().textContent()).trim();
  console.log(`home → article: ${title}`);
  await page.screenshot({ path: `${shots}/article-1280.png`, fullPage: true });

  // Article → an entity it links.
  const entityLink = page.locator("main a.entity").first();
  const entityUrl = new URL(await entityLink.getAttribute("href"), articleUrl).href;
  await entityLink.click();
  await page.waitForURL(entityUrl);
  await page.screenshot({ path: `${shots}/entity-1280.png`, fullPage: true });
  console.log(`article → entity: ${entityUrl}`);

  // Entity → its last mention in that article, by a snippet.
  const articlePath = new URL(articleUrl).pathname;
  const snippet = page.locator(`.snippets a[href^='${articlePath}#']`).last();
  const href = await snippet.getAttribute("href");
  const anchor = decodeURIComponent(href.split("#")[1]);
  await snippet.click();
  await page.waitForURL((u) => u.pathname === articlePath && u.hash === `#${encodeURIComponent(anchor)}`);
  const target = page.locator(`[id="${anchor}"]`);
  if ((await target.count()) !== 1) await fail(`anchor #${anchor} is not on the page exactly once`);
  if (!(await inView(target))) await fail(`anchor #${anchor} is not scrolled into view`);
  console.log(`entity → snippet ${href}: anchor in view`);

  // Edit the article on disk: the open page reloads with the new text.
  await page.goto(articleUrl);
  const file = articleFile(title);
  const original = readFileSync(file, "utf8");
  const sentence = `A sentence added while the page was open, at ${Date.now()}.`;
  appendFileSync(file, `\n${sentence}\n`);
  await page.locator(`text=${sentence}`).waitFor();
  console.log("edit: the page reloaded with the new text");

  // Break it: the errors over the page; still there after a reload.
  appendFileSync(file, "\nSee [[no-such-entity-at-all]].\n");
  const overlay = page.locator("#dossier-errors");
  await page.locator("#dossier-errors:has-text('unknown entity')").waitFor();
  if (!(await page.locator(`text=${sentence}`).count())) await fail("the last good page is not under the errors");
  await page.screenshot({ path: `${shots}/errors-1280.png` });
  console.log("broken edit: errors shown over the last good page");
  await page.locator(".dossier-close").click();
  await overlay.waitFor({ state: "detached" });
  await page.reload();
  await page.locator("#dossier-errors:has-text('no-such-entity-at-all')").waitFor();
  console.log("broken edit: a page loaded meanwhile shows the errors too");

  // Fix it: the errors go, the page shows the fixed text.
  writeFileSync(file, original);
  await overlay.waitFor({ state: "detached" });
  await page.locator(`text=${sentence}`).waitFor({ state: "detached" });
  console.log("fix: errors gone");

  // An article whose title, tag and text hold words too long for a phone's
  // line (pasted URLs, names without spaces): they must wrap, not widen the
  // page, wherever they land (header card, tag pills, lists, prev/next).
  const long = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(4);
  writeFileSync(
    join(site, "content/articles", "zz-long-words.md"),
    `+++\ntitle = "${long}"\ndate = 2100-01-01\ntags = ["${long}"]\n+++\n${long} https://example.org/${long}\n`,
  );
  const longUrl = new URL("articles/zz-long-words/", articleUrl.replace(/articles\/[^/]+\/$/, "")).href;
  const longPage = await browser.newPage();
  for (let i = 0; ; i++) {
    const r = await longPage.goto(longUrl);
    if (r && r.ok()) break;
    if (i > 100) await fail(`${longUrl} never appeared`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  await longPage.close();
  const siteRoot = longUrl.replace(/articles\/zz-long-words\/$/, "");

  // Phone width.
  const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
  phone.setDefaultTimeout(15_000);
  phone.on("pageerror", (e) => pageErrors.push(String(e)));
  for (const [name, url] of [
    ["article", articleUrl],
    ["entity", entityUrl],
    ["long-words", longUrl],
    ["home", siteRoot],
    ["tags", `${siteRoot}tags/`],
    ["archive", `${siteRoot}archive/`],
  ]) {
    await phone.goto(url);
    await phone.screenshot({ path: `${shots}/${name}-375.png`, fullPage: true });
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    if (wide) await fail(`the ${name} page scrolls sideways at 375 px`);
  }
  if (pageErrors.length) await fail(`script errors in the page: ${pageErrors.join("; ")}`);
  console.log(`screenshots in ${shots}`);
} catch (e) {
  await fail(e.stack || String(e));
}
server.removeAllListeners("exit");
await stop(0);
