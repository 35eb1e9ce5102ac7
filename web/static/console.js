/* The dispatcher console and the operator's desk: job progress polled live, routes on a Leaflet map, a door placed by a click.
   Everything here is an extra: without JavaScript a refresh shows the progress, and the PNG shows the routes. */
(function () {
  "use strict";
  var ATTRIBUTION = "© OpenStreetMap contributors";
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

  function followJobs() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-job-url]"));
    var pending = boxes.filter(function (b) { return ["queued", "running", "retrying"].indexOf(b.dataset.state) >= 0; });
    if (!pending.length) { return; }
    function poll() {
      Promise.all(pending.map(function (box) {
        return fetch(box.dataset.jobUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (job) {
            if (!job) { return true; }
            box.dataset.state = job.state;
            box.querySelector(".job-state").textContent = job.state;
            box.querySelector(".job-stage").textContent = job.stage;
            var bar = box.querySelector("progress");
            bar.value = job.percent; bar.textContent = job.percent + "%";
            return ["succeeded", "failed"].indexOf(job.state) >= 0;
          });
      })).then(function (finished) {
        if (finished.every(Boolean)) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      }).catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
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
    fetch(element.dataset.planUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (doc) {
      var plan = doc.plans && doc.plans[0];
      if (!plan) { return; }
      var map = baseMap(element, [plan.depot.lat, plan.depot.lon]);
      var bounds = L.latLngBounds([[plan.depot.lat, plan.depot.lon]]);
      L.circleMarker([plan.depot.lat, plan.depot.lon], {radius: 9, color: "#000", fillOpacity: 1}).addTo(map).bindTooltip(plan.branch_name);
      plan.routes.forEach(function (route, k) {
        var colour = COLOURS[k % COLOURS.length];
        if (route.geometry && route.geometry.length) {
          var line = L.polyline(route.geometry, {color: colour, weight: 4, className: "route-line"}).addTo(map);
          line.bindTooltip("#" + route.number + " " + (route.courier || route.vehicle));
          bounds.extend(line.getBounds());
        }
        route.stops.filter(function (s) { return s.request_id; }).forEach(function (stop, i) {
          var icon = L.divIcon({className: "stop-number", html: "<span style=\"background:" + colour + "\">" + (i + 1) + "</span>", iconSize: [26, 26]});
          L.marker([stop.lat, stop.lon], {icon: icon, title: "#" + route.number + "." + (i + 1) + " " + stop.public_id, alt: stop.public_id}).addTo(map);
          bounds.extend([stop.lat, stop.lon]);
        });
      });
      map.fitBounds(bounds, {padding: [20, 20]});
    });
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
    followJobs();
    drawRoutes();
    pickPoint();
  });
})();
