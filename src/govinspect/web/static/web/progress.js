// Poll an inspection's progress every 2 s while it runs.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || box.getAttribute("data-status") === "done") { return; }
  function tick() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (p) {
      box.querySelectorAll("[data-k]").forEach(function (el) { el.textContent = p[el.getAttribute("data-k")]; });
      box.querySelector("progress").value = p.percent;
      if (p.status !== "done") { setTimeout(tick, 2000); }
    }).catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 2000);
})();
