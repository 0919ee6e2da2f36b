// Search of the directory, in the browser, over index.js (loaded with a <script> tag so the site
// also works from file:// where fetch() of a local JSON file is blocked).
(function () {
  "use strict";
  var firms = window.DIRECTORY_INDEX || [];
  var q = document.getElementById("q");
  var sector = document.getElementById("sector");
  var complex = document.getElementById("complex");
  var results = document.getElementById("results");
  var count = document.getElementById("count");

  // NFKC, lower case, no spaces: "판 스프링" finds "판스프링", "Connector" finds "connector".
  function fold(text) {
    return String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }
  firms.forEach(function (f) {
    f._hay = fold([f.name, f.sector, f.complex].concat(f.products, f.also).join("|"));
  });

  function matches(f, words) {
    if (sector.value && f.sector_key !== sector.value) return false;
    if (complex.value && f.complex_key !== complex.value) return false;
    return words.every(function (w) { return f._hay.indexOf(w) >= 0; });
  }

  function render() {
    var words = String(q.value || "").split(/[\s,]+/).map(fold).filter(Boolean);
    var found = firms.filter(function (f) { return matches(f, words); });
    results.textContent = "";
    found.forEach(function (f) {
      var li = document.createElement("li");
      li.dataset.slug = f.slug;
      var a = document.createElement("a");
      a.className = "name";
      a.href = "firms/" + f.slug + ".html";
      a.textContent = f.name;
      li.appendChild(a);
      [f.sector, null, f.complex].forEach(function (text, i) {
        var p = document.createElement("div");
        p.className = "meta";
        if (i === 1) {
          // products, the untranslated ones marked as on the firm page
          f.products.forEach(function (name, k) {
            var span = document.createElement("span");
            span.textContent = (k ? ", " : "") + name;
            if (f.untranslated.indexOf(k) >= 0) span.className = "src-untranslated";
            p.appendChild(span);
          });
          if (!f.products.length) return;
        } else if (!text) {
          return;
        } else {
          p.textContent = text;
        }
        li.appendChild(p);
      });
      results.appendChild(li);
    });
    count.textContent = found.length ? count.dataset.template.replace("{n}", found.length) : count.dataset.empty;
    // Keep the query when the reader switches language.
    var params = new URLSearchParams();
    if (q.value) params.set("q", q.value);
    if (sector.value) params.set("sector", sector.value);
    if (complex.value) params.set("complex", complex.value);
    var suffix = params.toString() ? "?" + params.toString() : "";
    document.querySelectorAll(".langs a").forEach(function (a) {
      a.href = a.href.split("?")[0] + suffix;
    });
  }

  var initial = new URLSearchParams(window.location.search);
  q.value = initial.get("q") || "";
  sector.value = initial.get("sector") || "";
  complex.value = initial.get("complex") || "";
  // "input" only for the text box: its "change" fires on blur, and a re-render then would remove
  // the link the reader is clicking.
  q.addEventListener("input", render);
  [sector, complex].forEach(function (el) { el.addEventListener("change", render); });
  render();
})();
