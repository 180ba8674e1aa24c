// Highlight the offending text inside the excerpt, with DOM text nodes only (never innerHTML).
(function () {
  "use strict";
  var el = document.getElementById("excerpt");
  if (!el) { return; }
  var word = el.getAttribute("data-highlight");
  var text = el.textContent;
  var at = word ? text.indexOf(word) : -1;
  if (at < 0) { return; }
  var mark = document.createElement("mark");
  mark.textContent = word;
  el.textContent = "";
  el.appendChild(document.createTextNode(text.slice(0, at)));
  el.appendChild(mark);
  el.appendChild(document.createTextNode(text.slice(at + word.length)));
})();
