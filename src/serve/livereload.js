// dossier serve: reloads the page when the site is rebuilt, and shows the
// build's errors over the page while the last edit does not build. Added to
// pages by `serve` only; built sites never carry it.
(() => {
  const me = document.currentScript;
  const version = me ? me.dataset.version : "";
  // No build has succeeded yet: the page is not part of a last good site.
  // (Once one succeeds the page reloads, so this holds for its lifetime.)
  const noSite = !!me && me.dataset.site === "none";
  const ID = "dossier-errors";
  const hide = () => {
    const o = document.getElementById(ID);
    if (o) o.remove();
  };
  // The same markup as the overlay `serve` writes into a page served while
  // the build is broken (see livereload.rs).
  const show = (text) => {
    hide();
    const o = document.createElement("div");
    o.id = ID;
    o.className = "dossier-overlay";
    o.setAttribute("role", "alert");
    const panel = document.createElement("div");
    panel.className = "dossier-panel";
    const head = document.createElement("p");
    head.className = "dossier-head";
    head.textContent = noSite
      ? "dossier: the site does not build, and no build has succeeded yet: there is no site to show until these errors are fixed."
      : "dossier: the last edit does not build. The page below is the last good build.";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "dossier-close";
    close.setAttribute("aria-label", "Hide");
    close.textContent = "\u00d7";
    const pre = document.createElement("pre");
    pre.textContent = text;
    panel.append(close, head, pre);
    o.append(panel);
    document.body.append(o);
  };
  document.addEventListener("click", (e) => {
    if (e.target instanceof Element && e.target.closest(".dossier-close")) hide();
  });
  const es = new EventSource("/__dossier/events");
  // The first event: the build as it is now. A page served before a rebuild
  // that it was not told about (or by an earlier run of serve) reloads.
  es.addEventListener("hello", (e) => {
    const s = JSON.parse(e.data);
    if (s.version !== version) location.reload();
    else if (s.ok) hide();
    else show(s.errors);
  });
  es.addEventListener("reload", () => location.reload());
  es.addEventListener("broken", (e) => show(JSON.parse(e.data).errors));
})();
