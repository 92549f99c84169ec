// Maps without a tile server: the committed Benelux outline, the ports, and the report's point.
// A map marked data-pick="latitude-id,longitude-id" sets those inputs on a click and follows them.
(function () {
  "use strict";

  // Leaflet inserts a tooltip string as HTML; names are typed by people, so pass them as text.
  function asText(value) {
    return document.createTextNode(String(value));
  }
  var HOME = [[50.6, 2.5], [52.0, 6.2]];  // the Belgian coast to Liège and the Scheldt mouth

  function ports() {
    var data = document.getElementById("ports-data");
    return data ? JSON.parse(data.textContent) : [];
  }

  function drawOutline(map, url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        L.geoJSON(geojson, {
          interactive: false,
          style: function (feature) {
            var focus = feature.properties.role === "focus";
            return { color: "#41576b", weight: focus ? 1.2 : 0.8, fillColor: focus ? "#fbfaf6" : "#e9e7e0", fillOpacity: 1 };
          }
        }).addTo(map).bringToBack();
      });
  }

  function drawPorts(map) {
    ports().forEach(function (port) {
      L.circleMarker([port.latitude, port.longitude], {
        radius: 4, color: "#0b2540", weight: 1, fillColor: "#0b2540", fillOpacity: 0.9
      }).bindTooltip(asText(port.name + " (" + port.locode + ")")).addTo(map);
    });
  }

  function pointMarker(latlng) {
    return L.circleMarker(latlng, { radius: 9, color: "#000", weight: 3, fillColor: "#ffbf47", fillOpacity: 1 });
  }

  function readPoint(latInput, lonInput) {
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) { return null; }
    return L.latLng(lat, lon);
  }

  function makePicker(map, ids) {
    var latInput = document.getElementById(ids[0]);
    var lonInput = document.getElementById(ids[1]);
    if (!latInput || !lonInput) { return; }
    var marker = null;
    function place(latlng) {
      if (marker) { marker.remove(); marker = null; }
      if (latlng) { marker = pointMarker(latlng).addTo(map); }
    }
    map.on("click", function (event) {
      latInput.value = event.latlng.lat.toFixed(5);
      lonInput.value = event.latlng.lng.toFixed(5);
      place(event.latlng);
    });
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () { place(readPoint(latInput, lonInput)); });
    });
    var start = readPoint(latInput, lonInput);
    place(start);
    if (start) { map.setView(start, 10); }
    var clear = document.querySelector("[data-clear-point]");
    if (clear) {
      clear.addEventListener("click", function () {
        latInput.value = ""; lonInput.value = ""; place(null);
      });
    }
  }

  function makeMap(element) {
    var map = L.map(element, { attributionControl: true, zoomControl: false, zoomSnap: 0.5, minZoom: 6,
                               maxZoom: 14, maxBounds: [[48.5, 0.5], [54.5, 8.5]] });
    // The zoom buttons' titles come translated from the page (data-zoom-in-title, data-zoom-out-title).
    L.control.zoom({
      zoomInTitle: element.getAttribute("data-zoom-in-title") || "Zoom in",
      zoomOutTitle: element.getAttribute("data-zoom-out-title") || "Zoom out"
    }).addTo(map);
    map.attributionControl.setPrefix("Leaflet").addAttribution("Natural Earth");
    map.fitBounds(HOME);
    drawOutline(map, element.getAttribute("data-geojson"));
    drawPorts(map);
    var lat = element.getAttribute("data-lat"), lon = element.getAttribute("data-lon");
    if (lat && lon) {
      var point = L.latLng(parseFloat(lat), parseFloat(lon));
      pointMarker(point).addTo(map);
      map.setView(point, parseFloat(element.getAttribute("data-zoom") || "10"));
    }
    var pick = element.getAttribute("data-pick");
    if (pick) { makePicker(map, pick.split(",")); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map]").forEach(makeMap);
  });
})();
