// What Streamlit's page lacks and CSS cannot give (README, Tillgänglighet). Run by ui.utseende() with
// st.html(..., unsafe_allow_javascript=True); idempotent, so a rerun that runs it again changes nothing.
(() => {
  const doc = document;
  doc.documentElement.lang = "sv";  // Streamlit's index.html says "en" (WCAG 3.1.1)
  if (window.__beslutsstodTillganglighet) return;
  window.__beslutsstodTillganglighet = true;

  const startsida = (p) => p.replace(/\/oversikt\/?$/, "/").replace(/\/+$/, "/");

  const uppdatera = () => {
    if (doc.documentElement.lang !== "sv") doc.documentElement.lang = "sv";
    // A table wider than a phone scrolls sideways: the scrolling box is reachable and named for
    // keyboard users (WCAG 2.1.1, axe "scrollable-region-focusable"); a table that fits is not a tab stop.
    doc.querySelectorAll('[data-testid="stTable"] > div').forEach((ruta) => {
      const rullar = ruta.scrollWidth > ruta.clientWidth + 1;
      if (rullar && ruta.getAttribute("tabindex") !== "0") {
        ruta.setAttribute("tabindex", "0");
        ruta.setAttribute("role", "region");
        ruta.setAttribute("aria-label", "Tabell, rulla i sidled för fler kolumner");
      } else if (!rullar && ruta.hasAttribute("tabindex")) {
        ruta.removeAttribute("tabindex");
        ruta.removeAttribute("role");
        ruta.removeAttribute("aria-label");
      }
    });
    // Our sidebar menu (ui.meny): a navigation landmark, and the current page announced as such.
    const meny = doc.querySelector(".st-key-meny");
    if (meny) {
      if (meny.getAttribute("role") !== "navigation") {
        meny.setAttribute("role", "navigation");
        meny.setAttribute("aria-label", "Sidor");
      }
      const har = startsida(window.location.pathname);
      meny.querySelectorAll("a[href]").forEach((lank) => {
        // the start page's link has an empty href (resolved as it stands it would be the current page)
        const mal = new URL(lank.getAttribute("href") || "./", window.location.href);
        const aktuell = startsida(mal.pathname) === har;
        if (aktuell && lank.getAttribute("aria-current") !== "page") lank.setAttribute("aria-current", "page");
        if (!aktuell && lank.hasAttribute("aria-current")) lank.removeAttribute("aria-current");
      });
    }
  };

  // Print: a Plotly chart is an SVG drawn at the screen's width in pixels, wider than an A4 page.
  // For the print it gets a viewBox, so that the print stylesheet can scale it to the page's width.
  window.addEventListener("beforeprint", () => {
    doc.querySelectorAll(".js-plotly-plot .svg-container").forEach((ruta) => {
      const b = ruta.offsetWidth, h = ruta.offsetHeight;
      if (!b || !h) return;
      ruta.style.setProperty("--utskrift-forhallande", `${b} / ${h}`);
      ruta.classList.add("utskrift-skalad");
      ruta.querySelectorAll("svg.main-svg").forEach((svg) => svg.setAttribute("viewBox", `0 0 ${b} ${h}`));
    });
  });
  window.addEventListener("afterprint", () => {
    doc.querySelectorAll(".utskrift-skalad").forEach((ruta) => {
      ruta.classList.remove("utskrift-skalad");
      ruta.querySelectorAll("svg.main-svg").forEach((svg) => svg.removeAttribute("viewBox"));
    });
  });

  // Streamlit redraws parts of the page on every run: check again after each change (once per frame).
  let vantar = false;
  const schemalagg = () => {
    if (vantar) return;
    vantar = true;
    window.requestAnimationFrame(() => { vantar = false; uppdatera(); });
  };
  new MutationObserver(schemalagg).observe(doc.body, { childList: true, subtree: true });
  window.addEventListener("resize", schemalagg);
  window.addEventListener("popstate", schemalagg);
  uppdatera();
})();
