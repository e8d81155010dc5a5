// The explorer page (/explore): Cytoscape.js over /api/network/….
//
// Nothing is drawn until asked for: a search lists nodes, a click on a result or on a node
// draws one page of its neighbours (config.page_size) around it, "show more" draws the next
// page, and the canvas holds at most config.max_drawn nodes. Filters (level 1, level 2, kind
// of value) apply to searches and expansions. Colours are Louvain communities, shapes are
// kinds of node; the side panel shows the node's metrics and links to its linked-data page.
// Text from the data is inserted with textContent only, never as HTML.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("perfkg-config").textContent);
  var container = document.getElementById("explore-canvas");
  var statusLine = document.getElementById("explore-status");
  var panel = document.getElementById("explore-panel");
  var results = document.getElementById("explore-results");
  var moreResults = document.getElementById("explore-more-results");
  var queryBox = document.getElementById("explore-q");
  if (typeof cytoscape === "undefined" || !container) {
    return; // the page says Cytoscape is missing
  }

  var PALETTE = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939",
  ];
  var SHAPES = { department: "round-rectangle", project: "rectangle", target: "ellipse", indicator: "diamond" };
  var SIZES = { department: 44, project: 30, target: 14, indicator: 26 };
  var KIND_NAMES = { department: "部门", project: "项目", target: "目标", indicator: "指标" };

  var state = {
    filters: { level1: "", level2: "", value_kind: "" },
    next: {}, // node id -> next_offset of its neighbours (null: all drawn)
    rings: {}, // node id -> pages of neighbours drawn around it
    selected: null,
    query: "",
    searchNext: null,
    busy: 0,
  };

  var cy = cytoscape({
    container: container,
    elements: [],
    minZoom: 0.05,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    textureOnViewport: true,
    hideEdgesOnViewport: true,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          shape: "data(shape)",
          width: "data(size)",
          height: "data(size)",
          label: "data(short)",
          "font-size": 10,
          "min-zoomed-font-size": 7,
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#1d2733",
          "text-wrap": "ellipsis",
          "text-max-width": 120,
        },
      },
      { selector: "node[kind = 'target']", style: { "font-size": 7 } },
      {
        selector: "node:selected",
        style: { "border-width": 3, "border-color": "#111", "underlay-color": "#f5c542", "underlay-opacity": 0.5 },
      },
      { selector: "edge", style: { width: 1, "line-color": "#b8c0c8", "curve-style": "haystack" } },
    ],
  });
  window.perfkgExplorer = { cy: cy, state: state, expand: expand, search: search };

  // ---- requests

  function apiUrl(path, params, filtered) {
    var url = new URL(config.api + path, window.location.href);
    var all = Object.assign({}, params, filtered ? state.filters : {});
    Object.keys(all).forEach(function (key) {
      if (all[key] !== "" && all[key] !== null && all[key] !== undefined) {
        url.searchParams.append(key, all[key]);
      }
    });
    return url.href;
  }

  function getJSON(path, params, filtered) {
    state.busy += 1;
    container.setAttribute("aria-busy", "true");
    return fetch(apiUrl(path, params, filtered), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error((body.error && body.error.message) || response.statusText);
          }
          return body;
        });
      })
      .finally(function () {
        state.busy -= 1;
        if (state.busy === 0) container.removeAttribute("aria-busy");
      });
  }

  function say(text, warning) {
    statusLine.textContent = text;
    statusLine.classList.toggle("warning", Boolean(warning));
  }

  function fail(error) {
    say("出错 Error: " + error.message, true);
  }

  // ---- drawing

  function short(label) {
    return label.length > 16 ? label.slice(0, 15) + "…" : label;
  }

  function colour(node) {
    return node.community === null || node.community === undefined
      ? "#8a96a3"
      : PALETTE[node.community % PALETTE.length];
  }

  function nodeData(node) {
    return {
      id: node.id,
      kind: node.kind,
      label: node.label,
      short: short(node.label),
      href: node.href,
      color: colour(node),
      shape: SHAPES[node.kind] || "ellipse",
      size: SIZES[node.kind] || 20,
    };
  }

  function centre() {
    var extent = cy.extent();
    return { x: (extent.x1 + extent.x2) / 2, y: (extent.y1 + extent.y2) / 2 };
  }

  function addNode(node, position) {
    var existing = cy.getElementById(node.id);
    if (existing.nonempty()) return existing;
    return cy.add({ group: "nodes", data: nodeData(node), position: position || centre() });
  }

  function addEdge(a, b) {
    var key = a < b ? a + "\u0000" + b : b + "\u0000" + a;
    if (cy.getElementById(key).nonempty()) return;
    if (cy.getElementById(a).empty() || cy.getElementById(b).empty()) return;
    cy.add({ group: "edges", data: { id: key, source: a, target: b } });
  }

  function joinParents(node) {
    (node.parents || []).forEach(function (parent) {
      addEdge(node.id, parent);
    });
  }

  function ring(around, count, page) {
    // positions around a node: a full circle for a lone node, else a fan that opens away
    // from the neighbours already drawn; a wider radius for each further page
    var node = cy.getElementById(around);
    var origin = node.position();
    var drawn = node.neighborhood("node");
    var spread = 2 * Math.PI;
    var heading = (page * 0.37) * 2 * Math.PI;
    if (drawn.length > 0) {
      var dx = 0;
      var dy = 0;
      drawn.forEach(function (other) {
        dx += origin.x - other.position("x");
        dy += origin.y - other.position("y");
      });
      if (dx !== 0 || dy !== 0) {
        heading = Math.atan2(dy, dx);
        spread = (4 * Math.PI) / 3;
      }
    }
    var radius = 90 + 45 * page + 4 * count;
    var positions = [];
    for (var i = 0; i < count; i++) {
      var share = spread === 2 * Math.PI ? i / Math.max(count, 1) : (i + 0.5) / count - 0.5;
      var angle = heading + spread * share;
      positions.push({ x: origin.x + radius * Math.cos(angle), y: origin.y + radius * Math.sin(angle) });
    }
    return positions;
  }

  function expand(id, more) {
    if (state.next[id] === null && !more) {
      say("已全部展开 All neighbours of this node are drawn.");
      return Promise.resolve(null);
    }
    var drawn = cy.nodes().length;
    if (drawn >= config.max_drawn) {
      say("画布已有 " + drawn + " 个节点（上限 " + config.max_drawn + "）：请清空或移除节点。" +
        " The canvas holds " + drawn + " nodes (limit " + config.max_drawn + "): clear or remove some first.", true);
      return Promise.resolve(null);
    }
    var offset = more ? state.next[id] || 0 : 0;
    var limit = Math.min(config.page_size, config.max_drawn - drawn);
    return getJSON("/neighbours", { id: id, offset: offset, limit: limit }, true)
      .then(function (page) {
        var page_number = state.rings[id] || 0;
        state.rings[id] = page_number + 1;
        var fresh = page.nodes.filter(function (n) {
          return cy.getElementById(n.id).empty();
        });
        var positions = ring(id, fresh.length, page_number);
        cy.batch(function () {
          fresh.forEach(function (n, i) {
            addNode(n, positions[i]);
          });
          page.nodes.forEach(function (n) {
            addEdge(id, n.id);
            joinParents(n);
          });
        });
        state.next[id] = page.next_offset;
        if (fresh.length) {
          cy.animate({ fit: { eles: cy.getElementById(id).closedNeighborhood(), padding: 40 } }, { duration: 250 });
        }
        var shown = page.offset + page.nodes.length;
        say("已画出 " + shown + " / " + page.total + " 个邻居 · drew " + shown + " of " + page.total +
          " neighbours" + (page.next_offset !== null ? " (更多 show more in the panel)" : ""));
        if (state.selected === id) renderMore(id, page);
        return page;
      })
      .catch(fail);
  }

  // ---- the side panel

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(list, name, value) {
    list.appendChild(element("dt", name));
    var dd = element("dd");
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = value === null || value === undefined ? "—" : String(value);
    list.appendChild(dd);
  }

  function link(href, text) {
    var a = element("a", text);
    a.href = href;
    return a;
  }

  function concept(c) {
    if (!c) return "—";
    return c.label + (c.label_en ? " (" + c.label_en + ")" : "");
  }

  function renderPanel(node) {
    panel.textContent = "";
    var kind = element("span", KIND_NAMES[node.kind] + " " + node.kind, "kind");
    var heading = element("h2");
    heading.appendChild(kind);
    heading.appendChild(document.createTextNode(node.label));
    panel.appendChild(heading);
    var page = link(node.href, "实体页 Linked-data page ↗");
    page.className = "entity-link";
    panel.appendChild(page);
    var list = element("dl", null, "metrics");
    row(list, "度 Degree", node.degree);
    row(list, "PageRank", node.pagerank === null ? "—" : node.pagerank.toFixed(5));
    row(list, "社区 Community", node.community);
    row(list, "连通分量 Component", node.component);
    if (node.kind === "target") {
      row(list, "指标值 Value", node.value || "—");
      row(list, "一级 Level 1", concept(node.level1));
      row(list, "二级 Level 2", concept(node.level2));
      row(list, "值类型 Kind", concept(node.value_kind));
      row(list, "期间 Period", concept(node.period));
    }
    if (node.neighbours) {
      var counts = Object.keys(node.neighbours)
        .filter(function (k) { return node.neighbours[k] > 0; })
        .map(function (k) { return KIND_NAMES[k] + " " + node.neighbours[k]; });
      row(list, "邻居 Neighbours", counts.join(" · ") || "—");
    }
    if (node.name_group) {
      row(list, "名称组 Name group", node.name_group.label + " (" + node.name_group.size + ")");
    }
    panel.appendChild(list);
    if (node.similar && node.similar.length) {
      panel.appendChild(element("h2", "相似项目 Similar projects"));
      var similar = element("ul", null, "similar");
      node.similar.forEach(function (s) {
        var item = element("li");
        var a = link(s.href, s.label);
        a.addEventListener("click", function (event) {
          event.preventDefault();
          show(s.id);
        });
        item.appendChild(a);
        item.appendChild(element("span", " Jaccard " + s.score.toFixed(2) + ", " + s.shared + " 共同指标", "muted"));
        similar.appendChild(item);
      });
      panel.appendChild(similar);
    }
    var actions = element("div", null, "panel-actions");
    var more = element("button", "显示更多 Show more", "show-more");
    more.type = "button";
    more.hidden = true;
    more.addEventListener("click", function () {
      expand(node.id, true);
    });
    var remove = element("button", "移除 Remove");
    remove.type = "button";
    remove.addEventListener("click", function () {
      cy.getElementById(node.id).remove();
      delete state.next[node.id];
      delete state.rings[node.id];
    });
    actions.appendChild(more);
    actions.appendChild(remove);
    panel.appendChild(actions);
  }

  function renderMore(id, page) {
    var button = panel.querySelector(".show-more");
    if (!button || state.selected !== id) return;
    var left = page.total - (page.offset + page.nodes.length);
    button.hidden = page.next_offset === null;
    button.textContent = "显示更多 Show more (" + left + ")";
  }

  function select(id) {
    state.selected = id;
    cy.$(":selected").unselect();
    cy.getElementById(id).select();
    return getJSON("/node", { id: id }, false)
      .then(function (node) {
        if (state.selected === id) renderPanel(node);
        return node;
      })
      .catch(fail);
  }

  function show(id, node) {
    // draw a node (if needed), select it and draw its first page of neighbours
    var ready = node ? Promise.resolve(node) : getJSON("/node", { id: id }, false);
    return ready
      .then(function (found) {
        var drawn = addNode(found, centre());
        joinParents(found);
        cy.animate({ center: { eles: drawn } }, { duration: 200 });
        return Promise.all([select(id), expand(id, false)]);
      })
      .catch(fail);
  }

  cy.on("tap", "node", function (event) {
    var id = event.target.id();
    select(id).then(function () {
      return expand(id, false);
    });
  });

  // ---- search and filters

  function search(query, more) {
    state.query = query;
    var offset = more ? state.searchNext || 0 : 0;
    if (!more) results.textContent = "";
    if (!query) {
      moreResults.hidden = true;
      return Promise.resolve(null);
    }
    return getJSON("/search", { q: query, offset: offset, limit: 30 }, true)
      .then(function (page) {
        page.nodes.forEach(function (node) {
          var item = element("li", null, "result");
          item.dataset.id = node.id;
          item.appendChild(element("span", KIND_NAMES[node.kind], "kind"));
          item.appendChild(element("span", node.label, "result-label"));
          item.appendChild(document.createTextNode(" "));
          var a = link(node.href, "↗");
          a.title = "实体页 linked-data page";
          a.addEventListener("click", function (event) {
            event.stopPropagation();
          });
          item.appendChild(a);
          item.addEventListener("click", function () {
            show(node.id, node);
          });
          results.appendChild(item);
        });
        state.searchNext = page.next_offset;
        moreResults.hidden = page.next_offset === null;
        say("“" + query + "”：" + page.total + " 个结果 results");
        return page;
      })
      .catch(fail);
  }

  function loadFilters() {
    return getJSON("/filters", {}, false)
      .then(function (options) {
        Object.keys(options).forEach(function (name) {
          var select = document.getElementById("filter-" + name);
          if (!select) return;
          options[name].forEach(function (option) {
            var text = option.label + (option.label_en ? " · " + option.label_en : "") + " (" + option.targets + ")";
            var item = element("option", text);
            item.value = option.id;
            select.appendChild(item);
          });
        });
      })
      .catch(fail);
  }

  document.getElementById("explore-search").addEventListener("submit", function (event) {
    event.preventDefault();
    search(queryBox.value.trim(), false);
  });
  moreResults.addEventListener("click", function () {
    search(state.query, true);
  });
  document.querySelectorAll("select[data-filter]").forEach(function (select) {
    select.addEventListener("change", function () {
      state.filters[select.dataset.filter] = select.value;
      state.next = {};
      say("筛选适用于搜索和展开 Filters apply to searches and expansions.");
      if (state.query) search(state.query, false);
    });
  });
  document.getElementById("explore-clear").addEventListener("click", function () {
    cy.elements().remove();
    state.next = {};
    state.rings = {};
    state.selected = null;
    say("");
  });
  document.getElementById("explore-fit").addEventListener("click", function () {
    cy.fit(undefined, 30);
  });

  loadFilters();
  if (queryBox.value.trim()) {
    search(queryBox.value.trim(), false);
  } else if (config.start) {
    // a first view: the node asked for (?node=), else the department with the most projects,
    // with its first page of neighbours
    say(config.start_note || "");
    show(config.start);
  }
})();
