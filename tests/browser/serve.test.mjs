// Browser test of `dossier serve` on the demo archive, in Debian's Chromium
// driven by playwright-core. Usage: node serve.test.mjs BINARY SITE_DIR SHOTS_DIR
// Follows an entity link and a snippet back, checks the anchor is in view,
// edits the article and waits for the reload, breaks it and sees the
// overlay, fixes it and sees the overlay go; screenshots at 1280 and 375 px.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import net from "node:net";

const [bin, site, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const port = await new Promise((ok) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); });
});
const server = spawn(bin, ["serve", "--root", site, "--port", String(port)], { stdio: ["ignore", "inherit", "inherit"] });
const stop = (code) => { server.kill(); process.exit(code); };
const fail = (msg) => { console.error("FAIL:", msg); stop(1); };
setTimeout(() => fail("timed out"), 120_000).unref();

for (let i = 0; ; i++) {
  try { await fetch(`http://127.0.0.1:${port}/__dossier/status`); break; } catch {}
  if (i > 200) fail("serve did not start");
  await new Promise((r) => setTimeout(r, 100));
}
const base = `http://127.0.0.1:${port}/dossier/`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.goto(base + "articles/rubio-in-mexico-city/");
  await page.screenshot({ path: `${shots}/article-1280.png`, fullPage: true });
  // Follow an entity link to its page.
  await page.click("a.entity[href$='/entities/marco-rubio/']");
  await page.waitForURL(/\/entities\/marco-rubio\/$/);
  await page.screenshot({ path: `${shots}/entity-1280.png`, fullPage: true });
  // Follow a snippet back to the mention.
  const snippet = page.locator(".snippets a[href*='#m-marco-rubio-']").first();
  const href = await snippet.getAttribute("href");
  const anchor = href.split("#")[1];
  await snippet.click();
  await page.waitForURL(new RegExp(`#${anchor}$`));
  const target = page.locator(`#${anchor}`);
  if ((await target.count()) !== 1) fail(`anchor ${anchor} missing`);
  const inView = await target.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; });
  if (!inView) fail(`anchor ${anchor} not scrolled into view`);
  console.log(`followed ${href}: anchor in view`);

  // Edit the article on disk: the open page reloads with the new text.
  await page.goto(base + "articles/rubio-in-mexico-city/");
  const file = `${site}/content/articles/2025/2025-09-03-rubio-in-mexico-city.md`;
  const original = readFileSync(file, "utf8");
  appendFileSync(file, "\nA sentence added while the page was open.\n");
  await page.waitForSelector("text=A sentence added while the page was open.");
  console.log("edit: page reloaded with the new text");
  // Break it: the overlay shows the error; fix it: the overlay goes.
  appendFileSync(file, "\nSee [[no-such-entity]].\n");
  await page.waitForSelector("#dossier-errors:has-text('unknown entity')");
  console.log("broken edit: overlay shown");
  await page.screenshot({ path: `${shots}/overlay-1280.png` });
  writeFileSync(file, original);
  await page.waitForSelector("#dossier-errors", { state: "detached" });
  console.log("fix: overlay gone");

  // Phone width.
  const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
  await phone.goto(base + "articles/rubio-in-mexico-city/");
  await phone.screenshot({ path: `${shots}/article-375.png`, fullPage: true });
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  if (overflow) fail("article scrolls sideways at 375 px");
  await phone.goto(base + "entities/marco-rubio/");
  await phone.screenshot({ path: `${shots}/entity-375.png`, fullPage: true });
  console.log(`screenshots in ${shots}`);
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
stop(0);
