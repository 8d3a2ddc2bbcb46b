// Applies the stored (or the system's) colour theme before the first paint; a classic script so it runs at once.
(function () {
  var stored = null;
  try { stored = localStorage.getItem("pm-theme"); } catch (e) { /* storage disabled */ }
  var dark = stored ? stored === "dark" : window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "dark" : "light";
})();
