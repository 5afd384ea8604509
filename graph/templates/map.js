// hainet network map: draws the data block #hn-data with vis-network.
// Every data-derived string reaches the page through textContent, option
// values or vis titles given as strings (shown as text), never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hn-data").textContent);
  var text = data.text;
  var container = document.getElementById("hn-network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);
  window.hainetNetwork = network;
  window.hainetReady = false;
  network.once("afterDrawing", function () {
    window.hainetReady = true;
    window.hainetReadyAt = performance.now();
    document.documentElement.setAttribute("data-hainet-ready", "true");
  });
  network.setData({ nodes: nodes, edges: edges });
  network.fit({ animation: false });

  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-hn-kind]"));
  var industrySelect = document.getElementById("hn-industry");
  var flaggedOnly = document.getElementById("hn-flagged-only");
  var status = document.getElementById("hn-status");

  data.industries.forEach(function (industry) {
    var option = document.createElement("option");
    option.value = industry.key;
    option.textContent = industry.label;
    industrySelect.appendChild(option);
  });

  var names = document.getElementById("hn-names");
  var seen = {};
  data.nodes.forEach(function (node) {
    [node.label, node.nameZh, node.nameEn].forEach(function (name) {
      if (name && !seen[name]) {
        seen[name] = true;
        var option = document.createElement("option");
        option.value = name;
        names.appendChild(option);
      }
    });
  });

  function shownKinds() {
    var shown = {};
    kindBoxes.forEach(function (box) { shown[box.getAttribute("data-hn-kind")] = box.checked; });
    return shown;
  }

  function applyFilters() {
    var shown = shownKinds();
    var industry = industrySelect.value;
    var onlyFlagged = flaggedOnly !== null && flaggedOnly.checked;
    var changes = [];
    var visible = 0;
    data.nodes.forEach(function (node) {
      var show = shown[node.kind] !== false;
      if (show && industry) { show = node.industries.indexOf(industry) >= 0; }
      if (show && onlyFlagged) { show = node.flags.length > 0; }
      if (show) { visible += 1; }
      changes.push({ id: node.id, hidden: !show });
    });
    nodes.update(changes);
    setStatus(text.shown.replace("{shown}", String(visible)).replace("{total}", String(data.nodes.length)));
  }

  function setStatus(message) {
    status.textContent = message;
  }

  function matches(node, query) {
    return [node.label, node.nameZh, node.nameEn, node.id].some(function (name) {
      return typeof name === "string" && name.toLowerCase().indexOf(query) >= 0;
    });
  }

  function exact(node, query) {
    return [node.label, node.nameZh, node.nameEn, node.id].some(function (name) {
      return typeof name === "string" && name.toLowerCase() === query;
    });
  }

  function search() {
    var query = document.getElementById("hn-search").value.trim().toLowerCase();
    if (!query) {
      network.unselectAll();
      setStatus("");
      return;
    }
    var visibleNodes = data.nodes.filter(function (node) { return !nodes.get(node.id).hidden; });
    var found = visibleNodes.filter(function (node) { return exact(node, query); });
    if (found.length === 0) {
      found = visibleNodes.filter(function (node) { return matches(node, query); });
    }
    var ids = found.slice(0, 200).map(function (node) { return node.id; });
    network.selectNodes(ids);
    if (ids.length === 1) {
      network.focus(ids[0], { scale: Math.max(network.getScale(), 1.0), animation: false });
    } else if (ids.length > 1) {
      network.fit({ nodes: ids, animation: false });
    }
    setStatus(ids.length ? text.found.replace("{n}", String(found.length)) : text.none);
  }

  document.getElementById("hn-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  document.getElementById("hn-search").addEventListener("change", search);
  kindBoxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  industrySelect.addEventListener("change", applyFilters);
  if (flaggedOnly !== null) { flaggedOnly.addEventListener("change", applyFilters); }
  document.getElementById("hn-fit").addEventListener("click", function () { network.fit({ animation: false }); });
})();
