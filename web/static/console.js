/* The dispatcher console and the operator's desk: background jobs followed live, the day refreshed in place,
   routes on a Leaflet map, a door placed by a click. Everything here is an extra: without JavaScript the forms
   post as usual, a refresh shows the progress, and the PNG shows the routes. Names reach the page as text only. */
(function () {
  "use strict";
  var ATTRIBUTION = "© OpenStreetMap contributors";
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  var LIVE_EVERY_MS = 5000;
  var cityMap = null;

  function getJson(url) {
    return fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}}).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function text(tag, content, className) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    element.textContent = content;
    return element;
  }

  function jobBox(job, index) {
    var box = document.createElement("div");
    box.className = "job";
    box.dataset.jobUrl = job.url;
    var label = document.createElement("label");
    label.htmlFor = "job-live-" + index;
    label.appendChild(document.createTextNode((job.branch || "") + ": "));
    label.appendChild(text("span", "", "job-state"));
    label.appendChild(document.createTextNode(" "));
    label.appendChild(text("span", "", "job-stage"));
    var bar = document.createElement("progress");
    bar.id = "job-live-" + index;
    bar.max = 100;
    var error = text("p", "", "error job-error");
    error.hidden = true;
    box.appendChild(label); box.appendChild(bar); box.appendChild(error);
    showJob(box, job);
    return box;
  }

  function showJob(box, job) {
    box.dataset.state = job.state;
    box.querySelector(".job-state").textContent = job.state_label;
    box.querySelector(".job-stage").textContent = job.stage_label ? "(" + job.stage_label + ")" : "";
    var bar = box.querySelector("progress");
    bar.value = job.percent; bar.textContent = job.percent + "%";
    var error = box.querySelector(".job-error");
    error.textContent = job.error || ""; error.hidden = !job.error;
  }

  function follow(boxes, whenDone) {
    var pending = boxes.filter(function (b) { return ["succeeded", "failed"].indexOf(b.dataset.state) < 0; });
    if (!pending.length) { return; }
    function poll() {
      Promise.all(pending.map(function (box) {
        return getJson(box.dataset.jobUrl).then(function (job) { showJob(box, job); return job.finished; });
      })).then(function (finished) {
        if (finished.every(Boolean)) { whenDone(boxes); } else { window.setTimeout(poll, 1000); }
      }).catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 300);
  }

  function finished(mode) {
    return function (boxes) {
      var failed = boxes.some(function (b) { return b.dataset.state === "failed"; });
      if (mode === "reload" && !failed) { window.location.reload(); return; }
      refreshLive();
      drawRoutes();
      var panel = document.getElementById("jobs");
      if (panel && !failed) { panel.appendChild(text("p", panel.dataset.doneText, "notice")); }
    };
  }

  function backgroundForms() {
    var panel = document.getElementById("jobs");
    Array.prototype.forEach.call(document.querySelectorAll("form.background-form"), function (form) {
      form.addEventListener("submit", function (event) {
        if (!panel || !window.fetch) { return; }
        event.preventDefault();
        var buttons = form.querySelectorAll("button");
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
        fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
          .then(function (answer) {
            Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
            panel.textContent = "";
            panel.appendChild(text("p", answer.body.notice || "", answer.ok ? "notice" : "warning"));
            var boxes = (answer.body.jobs || []).map(function (job, k) { var box = jobBox(job, k); panel.appendChild(box); return box; });
            panel.scrollIntoView({block: "nearest"});
            follow(boxes, finished(form.dataset.finished));
          })
          .catch(function () { window.location.reload(); });
      });
    });
  }

  function refreshLive() {
    var holder = document.querySelector("[data-live-url]");
    if (!holder) { return Promise.resolve(); }
    return getJson(holder.dataset.liveUrl).then(function (values) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-live]"), function (cell) {
        var value = values[cell.dataset.live];
        if (value !== undefined && cell.textContent !== value) { cell.textContent = value; cell.classList.add("changed"); }
      });
      var page = document.getElementById("live");
      var notice = document.getElementById("new-version");
      if (page && notice && values.version !== undefined && values.version !== page.dataset.version) { notice.hidden = false; }
    }).catch(function () { /* the next round tries again */ });
  }

  function keepLive() {
    if (!document.querySelector("[data-live-url]")) { return; }
    window.setInterval(function () { if (!document.hidden) { refreshLive(); } }, LIVE_EVERY_MS);
  }

  function baseMap(element, centre) {
    element.hidden = false;
    var map = L.map(element).setView(centre, 13);
    L.tileLayer(TILES, {maxZoom: 19, attribution: ATTRIBUTION}).addTo(map);
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", element.dataset.label || "Map");
    return map;
  }

  function drawRoutes() {
    var element = document.getElementById("map");
    if (!element || !window.L) { return; }
    getJson(element.dataset.planUrl).then(function (doc) {
      if (!doc.plans || !doc.plans.length) { return; }
      var empty = document.getElementById("no-routes");
      if (empty) { empty.hidden = true; }
      var first = doc.plans[0];
      if (cityMap) { cityMap.remove(); }
      var map = cityMap = baseMap(element, [first.depot.lat, first.depot.lon]);
      var bounds = L.latLngBounds([[first.depot.lat, first.depot.lon]]);
      var colour = 0;
      doc.plans.forEach(function (plan) {
        L.circleMarker([plan.depot.lat, plan.depot.lon], {radius: 9, color: "#000", fillOpacity: 1}).addTo(map).bindTooltip(text("span", plan.branch_name));
        bounds.extend([plan.depot.lat, plan.depot.lon]);
        plan.routes.forEach(function (route) {
          var paint = COLOURS[colour++ % COLOURS.length];
          var name = plan.branch_name + ": #" + route.number + " " + (route.label || "");
          if (route.geometry && route.geometry.length) {
            var line = L.polyline(route.geometry, {color: paint, weight: 4, className: "route-line"}).addTo(map);
            line.bindTooltip(text("span", name));
            bounds.extend(line.getBounds());
          }
          route.stops.filter(function (s) { return s.request_id; }).forEach(function (stop, i) {
            var badge = text("span", String(i + 1));
            badge.style.background = paint;
            var icon = L.divIcon({className: "stop-number", html: badge, iconSize: [26, 26]});
            L.marker([stop.lat, stop.lon], {icon: icon, title: name + ", " + (i + 1), alt: name + ", " + (i + 1)}).addTo(map);
            bounds.extend([stop.lat, stop.lon]);
          });
        });
      });
      map.fitBounds(bounds, {padding: [20, 20]});
    }).catch(function () { /* the picture or the tables still show the day */ });
  }

  function pickPoint() {
    var element = document.getElementById("pick-map");
    if (!element || !window.L) { return; }
    var lat = document.getElementById("lat"), lon = document.getElementById("lon");
    var start = [parseFloat(lat.value) || parseFloat(element.dataset.lat), parseFloat(lon.value) || parseFloat(element.dataset.lon)];
    var map = baseMap(element, start);
    var marker = lat.value ? L.marker(start).addTo(map) : null;
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng).addTo(map); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var server = Array.prototype.slice.call(document.querySelectorAll("#jobs [data-job-url]"));
    var mode = (document.querySelector("form.background-form[data-finished]") || {dataset: {}}).dataset.finished;
    follow(server, finished(mode || "refresh"));
    backgroundForms();
    keepLive();
    drawRoutes();
    pickPoint();
  });
})();
