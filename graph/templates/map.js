// hainet network map: draws the data block #hn-data with vis-network.
// Every data-derived string reaches the page through textContent, option
// values or vis titles given as strings (shown as text), never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hn-data").textContent);
  var text = data.text;
  var mapBox = document.getElementById("hn-map");
  var container = document.getElementById("hn-network");
  var byId = {};
  data.nodes.forEach(function (node) { byId[node.id] = node; });
  var nodes = new vis.DataSet(data.nodes.concat(data.headers));
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);
  window.hainetNetwork = network;
  window.hainetReady = false;
  network.once("afterDrawing", function () {
    window.hainetReady = true;
    window.hainetReadyAt = performance.now();
    document.documentElement.setAttribute("data-hainet-ready", "true");
    document.body.setAttribute("data-ready", "1");
  });
  document.body.setAttribute("data-renderer", "canvas");
  document.body.setAttribute("data-nodes-drawn", String(data.nodes.length));
  network.setData({ nodes: nodes, edges: edges });

  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-hn-kind]"));
  var industrySelect = document.getElementById("hn-industry");
  var evidenceSelect = document.getElementById("hn-evidence");
  var flaggedOnly = document.getElementById("hn-flagged-only");
  var status = document.getElementById("hn-status");
  var panel = document.getElementById("hn-panel");
  var panelTitle = document.getElementById("hn-panel-title");
  var panelBody = document.getElementById("hn-panel-body");
  var matchesBox = document.getElementById("hn-matches");
  var neighboursButton = document.getElementById("hn-neighbours");
  var presentButton = document.getElementById("hn-present");
  var stage = document.getElementById("hn-stage");
  var state = { selected: null, neighboursOnly: false, step: -1, presenting: false, fitScale: 1, zoomLabels: false,
                font: data.fontSize, dimmed: false };

  // ------------------------------------------------------------------ labels
  function labelled() {
    return data.nodes.filter(function (node) { return node.labelled; });
  }

  function setFont(size) {
    state.font = size;
    nodes.update(labelled().map(function (node) {
      var font = Object.assign({}, node.font || {}, { size: size });
      return { id: node.id, font: font };
    }));
  }

  // Labels at least minScreenFont CSS pixels at fit: enlarge them when the window is small.
  function fitView(ids) {
    // vis-network stops fit at scale 1 by default; a big screen should get a bigger map.
    var options = { animation: false, maxZoomLevel: 3 };
    if (ids && ids.length) { options.nodes = ids; }
    network.fit(options);
    var scale = network.getScale();
    if (!ids || !ids.length) { state.fitScale = scale; }
    var base = state.presenting ? data.fontSize * 1.4 : data.fontSize;
    // Past 2.5 times its size a label would cover its neighbours: a big map is read by zooming.
    var most = base * 2.5;
    var wanted = Math.min(most, Math.max(base, Math.ceil((data.minScreenFont + 0.5) / scale)));
    if (wanted !== state.font) {
      setFont(wanted);
      network.fit(options);
    }
    // Larger labels widen the drawing and lower the scale: settle in a few rounds.
    for (var round = 0; round < 3 && network.getScale() * state.font < data.minScreenFont; round += 1) {
      var grown = Math.min(most, Math.ceil((data.minScreenFont + 0.5) / network.getScale()));
      if (grown <= state.font) { break; }
      setFont(grown);
      network.fit(options);
    }
    window.hainetLabelPx = network.getScale() * state.font;
  }

  network.on("zoom", function () {
    var zoomed = network.getScale() > state.fitScale * 1.8;
    if (zoomed === state.zoomLabels) { return; }
    state.zoomLabels = zoomed;
    nodes.update(data.nodes.filter(function (node) { return !node.labelled; }).map(function (node) {
      return { id: node.id, label: zoomed ? node.fullLabel : undefined };
    }));
  });

  // ------------------------------------------------------------------ filters
  data.industries.forEach(function (industry) {
    var option = document.createElement("option");
    option.value = industry.key;
    option.textContent = industry.label;
    industrySelect.appendChild(option);
  });

  var names = document.getElementById("hn-names");
  var seen = {};
  data.nodes.forEach(function (node) {
    [node.label || node.fullLabel, node.nameZh, node.nameEn].forEach(function (name) {
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

  // A drawn fact's level against the switch, by the levels Python admits for it (graph.evidence);
  // an empty level is a group drawn for many facts, shown at every level.
  function evidenceOk(level) {
    return level === "" || data.evidenceAdmits[evidenceSelect.value].indexOf(level) >= 0;
  }

  function filteredIds() {
    var shown = shownKinds();
    var industry = industrySelect.value;
    var onlyFlagged = flaggedOnly !== null && flaggedOnly.checked;
    var ids = {};
    data.nodes.forEach(function (node) {
      var show = shown[node.kind] !== false;
      if (show && industry) { show = node.industries.indexOf(industry) >= 0; }
      if (show && onlyFlagged) { show = node.flags.length > 0; }
      if (show) { show = evidenceOk(node.evidence); }
      if (show) { ids[node.id] = true; }
    });
    return ids;
  }

  // Each update carries the node's own colours and borders again, so flags stay highlighted.
  function nodeState(node, hidden, dim) {
    return { id: node.id, hidden: hidden, color: node.color, borderWidth: node.borderWidth,
             opacity: dim ? 0.15 : 1 };
  }

  function render(visible, focus) {
    var visibleCount = 0;
    nodes.update(data.nodes.map(function (node) {
      var show = visible[node.id] === true;
      if (show) { visibleCount += 1; }
      return nodeState(node, !show, focus ? focus[node.id] !== true : false);
    }));
    edges.update(data.edges.map(function (edge) {
      var show = visible[edge.from] === true && visible[edge.to] === true && evidenceOk(edge.evidence);
      var dim = focus ? !(focus[edge.from] && focus[edge.to]) : false;
      return { id: edge.id, hidden: !show, color: { opacity: dim ? 0.06 : 0.7 } };
    }));
    state.dimmed = Boolean(focus);
    document.body.setAttribute("data-nodes-drawn", String(visibleCount));
    setStatus(text.shown.replace("{shown}", String(visibleCount)).replace("{total}", String(data.nodes.length)));
    return Object.keys(visible).filter(function (id) { return visible[id]; });
  }

  function applyFilters() {
    state.neighboursOnly = false;
    neighboursButton.textContent = text.neighbours_only;
    var ids = render(filteredIds(), state.selected ? neighbourhood(state.selected) : null);
    fitView(ids.length ? ids : null);
  }

  function setStatus(message) {
    status.textContent = message;
  }

  // ------------------------------------------------------------------ panel
  function neighbourhood(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (other) { near[other] = true; });
    return near;
  }

  var add = window.hainetPanel.add;

  function openPanel(id) {
    var node = byId[id];
    if (!node) { return; }
    state.selected = id;
    panelTitle.textContent = node.nameZh || node.label || node.fullLabel || id;
    window.hainetPanel.fill(panelBody, node, text);
    panel.hidden = false;
    neighboursButton.disabled = false;
    network.selectNodes([id]);
    render(filteredIds(), neighbourhood(id));
  }

  function closePanel() {
    state.selected = null;
    panel.hidden = true;
    neighboursButton.disabled = true;
    state.neighboursOnly = false;
    neighboursButton.textContent = text.neighbours_only;
    network.unselectAll();
    render(filteredIds(), null);
  }

  function toggleNeighbours() {
    if (!state.selected) { return; }
    state.neighboursOnly = !state.neighboursOnly;
    neighboursButton.textContent = state.neighboursOnly ? text.show_all : text.neighbours_only;
    if (state.neighboursOnly) {
      var near = neighbourhood(state.selected);
      var visible = filteredIds();
      Object.keys(visible).forEach(function (id) { if (!near[id]) { visible[id] = false; } });
      fitView(render(visible, null));
    } else {
      render(filteredIds(), neighbourhood(state.selected));
      fitView(null);
    }
  }

  network.on("click", function (params) {
    if (state.presenting) { return; }
    if (params.nodes.length && byId[params.nodes[0]]) {
      openPanel(params.nodes[0]);
    } else if (state.selected) {
      closePanel();
    }
  });

  // ------------------------------------------------------------------ search
  function matches(node, query) {
    return [node.label, node.fullLabel, node.nameZh, node.nameEn, node.id].some(function (name) {
      return typeof name === "string" && name.toLowerCase().indexOf(query) >= 0;
    });
  }

  function exact(node, query) {
    return [node.label, node.fullLabel, node.nameZh, node.nameEn, node.id].some(function (name) {
      return typeof name === "string" && name.toLowerCase() === query;
    });
  }

  function listMatches(found) {
    matchesBox.textContent = "";
    if (found.length < 2) {
      matchesBox.hidden = true;
      return;
    }
    add(matchesBox, "strong", text.matches.replace("{n}", String(found.length)));
    var list = add(matchesBox, "ol");
    found.slice(0, 50).forEach(function (node) {
      var button = add(add(list, "li"), "button", node.nameZh || node.label || node.fullLabel || node.id);
      button.type = "button";
      button.setAttribute("data-hn-node", node.id);
      button.addEventListener("click", function () {
        network.focus(node.id, { scale: Math.max(network.getScale(), state.fitScale * 1.5), animation: false });
        openPanel(node.id);
      });
    });
    matchesBox.hidden = false;
  }

  function search() {
    var query = document.getElementById("hn-search").value.trim().toLowerCase();
    if (!query) {
      network.unselectAll();
      listMatches([]);
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
    listMatches(found);
    if (ids.length === 1) {
      network.focus(ids[0], { scale: Math.max(network.getScale(), state.fitScale * 1.5), animation: false });
      openPanel(ids[0]);
    } else if (ids.length > 1) {
      network.fit({ nodes: ids, animation: false });
    }
    setStatus(ids.length ? text.found.replace("{n}", String(found.length)) : text.none);
  }

  // ------------------------------------------------------------------ presentation
  function showStep(index) {
    if (!data.tour.length) {
      setStatus(text.no_unmatched);
      return;
    }
    state.step = Math.max(0, Math.min(index, data.tour.length - 1));
    var step = data.tour[state.step];
    var focus = {};
    step.focus.forEach(function (id) { focus[id] = true; });
    render(filteredIds(), focus);
    network.selectNodes([step.focus[0]]);
    fitView(step.focus);
    stage.hidden = false;
    document.getElementById("hn-stage-count").textContent =
      text.step_of.replace("{i}", String(state.step + 1)).replace("{n}", String(data.tour.length));
    document.getElementById("hn-stage-title").textContent = step.title;
    var lines = document.getElementById("hn-stage-lines");
    lines.textContent = "";
    step.lines.forEach(function (line) { add(lines, "li", line); });
  }

  function startPresenting() {
    state.presenting = true;
    mapBox.classList.add("hn-presenting");
    if (mapBox.requestFullscreen) {
      mapBox.requestFullscreen().catch(function () { return null; });
    }
    showStep(0);
  }

  function stopPresenting() {
    var was = state.presenting || state.step >= 0;
    state.presenting = false;
    state.step = -1;
    stage.hidden = true;
    mapBox.classList.remove("hn-presenting");
    if (document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () { return null; });
    }
    if (state.selected) { closePanel(); } else if (was) { render(filteredIds(), null); }
    network.unselectAll();
    fitView(null);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
    if (event.key === "Escape") {
      stopPresenting();
      return;
    }
    if (typing) { return; }
    if (["ArrowRight", "ArrowDown", "PageDown", " "].indexOf(event.key) >= 0) {
      event.preventDefault();
      showStep(state.step + 1);
    } else if (["ArrowLeft", "ArrowUp", "PageUp"].indexOf(event.key) >= 0) {
      event.preventDefault();
      showStep(state.step - 1);
    }
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && state.presenting) { stopPresenting(); return; }
    if (state.step >= 0) { showStep(state.step); } else { fitView(null); }
  });

  document.getElementById("hn-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  document.getElementById("hn-search").addEventListener("change", search);
  kindBoxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  industrySelect.addEventListener("change", applyFilters);
  evidenceSelect.addEventListener("change", applyFilters);
  if (flaggedOnly !== null) { flaggedOnly.addEventListener("change", applyFilters); }
  neighboursButton.addEventListener("click", toggleNeighbours);
  document.getElementById("hn-panel-close").addEventListener("click", closePanel);
  document.getElementById("hn-fit").addEventListener("click", function () { fitView(null); });
  if (presentButton) { presentButton.addEventListener("click", startPresenting); }
  window.addEventListener("resize", function () { if (state.step < 0) { fitView(null); } });
  fitView(null);
  // In a notebook the page runs inside an iframe that may get its size only after this script:
  // fit again once the layout is done, so the map is centred in the frame it ends up in.
  window.requestAnimationFrame(function () { if (state.step < 0) { fitView(null); } });
  window.addEventListener("load", function () { if (state.step < 0) { fitView(null); } });
})();
