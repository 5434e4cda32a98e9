// addrkit offline map: canvas drawing, pan, zoom, tooltip, legend. No network, no library.
// Every text from the data is shown with textContent or fillText, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("addrkit-map-data").textContent);
  var canvas = document.getElementById("map");
  var ctx = canvas.getContext("2d");
  var tip = document.getElementById("tip");
  var S = data.scale, P = data.pointScale, COS = data.cos;
  var pts = data.points, n = pts.lon.length;
  var hidden = {};
  var view = { k: 1, x: 0, y: 0 };
  var dpr = window.devicePixelRatio || 1;

  document.getElementById("title").textContent = data.title;
  document.getElementById("subtitle").textContent = data.subtitle;
  var legend = document.getElementById("legend");
  var head = document.createElement("p");
  head.textContent = data.legendTitle;
  legend.appendChild(head);
  data.categories.forEach(function (c, i) {
    var row = document.createElement("div");
    var dot = document.createElement("span");
    dot.className = "dot";
    dot.style.background = c.colour;
    row.appendChild(dot);
    row.appendChild(document.createTextNode(c.label + " (" + c.count.toLocaleString() + ")"));
    row.onclick = function () {
      hidden[i] = !hidden[i];
      row.className = hidden[i] ? "off" : "";
      draw();
    };
    legend.appendChild(row);
  });

  // World coordinates: x = lon * cos(lat0), y = -lat, in degrees.
  function bounds() {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    function add(x, y) {
      if (x < b[0]) b[0] = x; if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x; if (y > b[3]) b[3] = y;
    }
    for (var i = 0; i < n; i++) add(pts.lon[i] / P * COS, -pts.lat[i] / P);
    if (n === 0) data.provinces.forEach(function (a) {
      a.rings.forEach(function (r) {
        for (var j = 0; j < r.length; j += 2) add(r[j] / S * COS, -r[j + 1] / S);
      });
    });
    if (!isFinite(b[0])) b = [100, -45, 125, -20];
    return b;
  }
  function reset() {
    // The map goes right of the panel when the window is wide enough to spare it.
    var panel = document.getElementById("panel").getBoundingClientRect();
    var left = canvas.clientWidth > 2 * panel.right ? panel.right : 0;
    var b = bounds(), w = canvas.clientWidth - left, h = canvas.clientHeight;
    var bw = Math.max(b[2] - b[0], 0.5), bh = Math.max(b[3] - b[1], 0.5);
    view.k = 0.9 * Math.min(w / bw, h / bh);
    view.x = left + w / 2 - view.k * (b[0] + b[2]) / 2;
    view.y = h / 2 - view.k * (b[1] + b[3]) / 2;
  }
  function sx(lon) { return view.x + view.k * lon * COS; }
  function sy(lat) { return view.y - view.k * lat; }

  function drawAreas(areas, colour, width) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    areas.forEach(function (a) {
      a.rings.forEach(function (r) {
        ctx.moveTo(sx(r[0] / S), sy(r[1] / S));
        for (var j = 2; j < r.length; j += 2) ctx.lineTo(sx(r[j] / S), sy(r[j + 1] / S));
        ctx.closePath();
      });
    });
    ctx.stroke();
  }
  function drawLabels(areas, size) {
    ctx.font = size + "px sans-serif";
    ctx.fillStyle = "#444";
    ctx.textAlign = "center";
    areas.forEach(function (a) {
      if (a.label) ctx.fillText(a.name, sx(a.label[0] / S), sy(a.label[1] / S));
    });
  }
  var cityZoom = 40; // pixels per degree from which prefecture lines and names show
  function draw() {
    var w = canvas.clientWidth, h = canvas.clientHeight;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#eef4f8";
    ctx.fillRect(0, 0, w, h);
    if (view.k > cityZoom) drawAreas(data.cities, "#c4c4c4", 0.6);
    drawAreas(data.provinces, "#6f6f6f", 1);
    var r = Math.max(1.2, Math.min(4, Math.sqrt(view.k) / 4));
    data.categories.forEach(function (c, ci) {
      if (hidden[ci]) return;
      ctx.fillStyle = c.colour;
      for (var i = 0; i < n; i++) {
        if (pts.cat[i] !== ci) continue;
        var x = sx(pts.lon[i] / P), y = sy(pts.lat[i] / P);
        if (x < -r || y < -r || x > w + r || y > h + r) continue;
        ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
      }
    });
    if (view.k > cityZoom) drawLabels(data.cities, 11);
    drawLabels(data.provinces, 13);
  }
  function resize() {
    canvas.width = canvas.clientWidth * dpr;
    canvas.height = canvas.clientHeight * dpr;
    draw();
  }
  function zoomAt(factor, cx, cy) {
    view.x = cx - (cx - view.x) * factor;
    view.y = cy - (cy - view.y) * factor;
    view.k *= factor;
    draw();
  }
  var drag = null;
  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.offsetX, e.offsetY);
  }, { passive: false });
  canvas.addEventListener("mousedown", function (e) {
    drag = { x: e.clientX, y: e.clientY };
    canvas.className = "dragging";
  });
  window.addEventListener("mouseup", function () { drag = null; canvas.className = ""; });
  window.addEventListener("mousemove", function (e) {
    if (drag) {
      view.x += e.clientX - drag.x;
      view.y += e.clientY - drag.y;
      drag = { x: e.clientX, y: e.clientY };
      tip.hidden = true;
      draw();
      return;
    }
    if (e.target !== canvas) { tip.hidden = true; return; }
    var best = -1, bestD = 64; // within 8 pixels
    for (var i = 0; i < n; i++) {
      if (hidden[pts.cat[i]]) continue;
      var dx = sx(pts.lon[i] / P) - e.offsetX, dy = sy(pts.lat[i] / P) - e.offsetY;
      var d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    if (best < 0) { tip.hidden = true; return; }
    var label = data.categories[pts.cat[best]].label;
    var text = pts.text.length ? pts.text[best] + "\n" : "";
    tip.textContent = text + label + "\n" + (pts.lat[best] / P).toFixed(5) + ", " +
      (pts.lon[best] / P).toFixed(5);
    tip.style.left = (e.clientX + 12) + "px";
    tip.style.top = (e.clientY + 12) + "px";
    tip.hidden = false;
  });
  document.getElementById("zoom-in").onclick = function () {
    zoomAt(1.5, canvas.clientWidth / 2, canvas.clientHeight / 2);
  };
  document.getElementById("zoom-out").onclick = function () {
    zoomAt(1 / 1.5, canvas.clientWidth / 2, canvas.clientHeight / 2);
  };
  document.getElementById("zoom-reset").onclick = function () { reset(); draw(); };
  window.addEventListener("resize", resize);
  reset();
  resize();
})();
