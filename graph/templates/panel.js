// hainet side panel: what a clicked node is, its needs with coverage and reason, partners, quote and
// evidence, from the node's panel data (graph/render_panel.py). One filling for the canvas and the
// WebGL map. Every string reaches the page through textContent, never as markup.
(function () {
  "use strict";

  function add(parent, tag, content, className) {
    var element = document.createElement(tag);
    if (content !== undefined && content !== null) { element.textContent = String(content); }
    if (className) { element.className = className; }
    parent.appendChild(element);
    return element;
  }

  function fill(body, node, text) {
    var info = node.panel || {};

    function addList(heading, items) {
      if (!items || !items.length) { return; }
      add(body, "h3", heading);
      var list = add(body, "ul");
      items.forEach(function (item) { add(list, "li", item); });
    }

    function addField(heading, value, className) {
      if (!value) { return; }
      add(body, "h3", heading);
      add(body, "p", value, className);
    }

    body.textContent = "";
    add(body, "p", [info.kind, node.nameEn].filter(Boolean).join(" · "));
    addField(text.panel_status, info.status);
    addField(text.panel_reason, info.reason);
    addField(text.panel_closest, info.closest);
    addField(text.panel_recommended, info.recommended);
    addField(text.panel_conclusion, info.conclusion_evidence);
    if (info.needs && info.needs.length) {
      add(body, "h3", text.panel_needs);
      var list = add(body, "ul");
      info.needs.forEach(function (need) {
        var item = add(list, "li");
        add(item, "span", need.name);
        if (need.covered !== undefined) {
          add(item, "span", " · " + (need.status || (need.covered ? text.covered : text.not_covered)),
              need.covered ? "hn-covered" : "hn-uncovered");
        }
        if (need.reason) { add(item, "div", need.reason); }
        if (need.evidence) { add(item, "div", text.panel_evidence + "：" + need.evidence); }
      });
    }
    addList(text.panel_partners, info.partners);
    addList(text.panel_cooperations, info.cooperations);
    addList(text.panel_units, info.units);
    addList(text.panel_fields, info.fields);
    addField(text.panel_evidence, info.evidence);
    addField(text.panel_section, info.section);
    addField(text.panel_quote, info.quote, "hn-quote");
    addField(text.panel_basis, info.basis, "hn-quote");
  }

  window.hainetPanel = { add: add, fill: fill };
})();
