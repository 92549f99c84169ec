// Maps of the alerts area, without a tile server: the committed Benelux outline, the ports,
// the organisation's zones and sensors, and
//   [data-alert-map]  the events of one alert and its zone;
//   [data-zone-map]   all zones of the organisation (the zone list);
//   [data-zone-draw]  a zone being drawn: each click on the map adds a corner, and the corners
//                     go into the outline field as JSON [[longitude, latitude], ...];
//   [data-point-pick] a sensor being placed: a click fills its latitude and longitude fields.
// Data comes from json_script blocks; nothing here talks to anything but this site.
(function () {
  "use strict";

  // Leaflet inserts a tooltip string as HTML; names are typed by people, so pass them as text.
  function asText(value) {
    return document.createTextNode(String(value));
  }
  var HOME = [[50.6, 2.5], [52.0, 6.2]];  // the Belgian coast to Liège and the Scheldt mouth
  var ZONE_STYLE = { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.15 };
  var OTHER_ZONE_STYLE = { color: "#5a6472", weight: 1, dashArray: "4 4", fillColor: "#5a6472", fillOpacity: 0.08,
                           interactive: false };
  var DRAW_STYLE = { color: "#b3261e", weight: 3, fillColor: "#ffbf47", fillOpacity: 0.3, interactive: false };

  function readData(id, fallback) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : fallback;
  }

  // GeoJSON order is [longitude, latitude]; Leaflet wants [latitude, longitude].
  function toLatLngs(outline) {
    return (outline || []).map(function (point) { return [point[1], point[0]]; });
  }

  function drawOutline(map, url) {
    if (!url) { return; }
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
    readData("ports-data", []).forEach(function (port) {
      L.circleMarker([port.latitude, port.longitude], {
        radius: 4, color: "#0b2540", weight: 1, fillColor: "#0b2540", fillOpacity: 0.9, interactive: false
      }).bindTooltip(asText(port.name + " (" + port.locode + ")")).addTo(map);
    });
  }

  function drawSensors(map) {
    readData("sensors-data", []).forEach(function (sensor) {
      L.circleMarker([sensor.latitude, sensor.longitude], {
        radius: 5, color: "#14181f", weight: 2, fillColor: "#fff", fillOpacity: 1, interactive: false
      }).bindTooltip(asText(sensor.name)).addTo(map);
    });
  }

  function baseMap(element) {
    var map = L.map(element, { attributionControl: true, zoomControl: false, zoomSnap: 0.5, minZoom: 5, maxZoom: 18 });
    // The zoom buttons' titles come translated from the page.
    L.control.zoom({
      zoomInTitle: element.getAttribute("data-zoom-in-title") || "Zoom in",
      zoomOutTitle: element.getAttribute("data-zoom-out-title") || "Zoom out"
    }).addTo(map);
    map.attributionControl.setPrefix("Leaflet").addAttribution("Natural Earth");
    map.fitBounds(HOME);
    drawOutline(map, element.getAttribute("data-geojson"));
    drawPorts(map);
    return map;
  }

  function fitTo(map, bounds, fallback) {
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.3), { maxZoom: 16 });
    } else if (fallback) {
      map.setView(fallback, 13);
    }
  }

  function startPoint(element) {
    var lat = parseFloat(element.getAttribute("data-start-lat"));
    var lon = parseFloat(element.getAttribute("data-start-lon"));
    return isNaN(lat) || isNaN(lon) ? null : L.latLng(lat, lon);
  }

  // --- One alert: its zone and its events ---------------------------------------------------

  function alertMap(element) {
    var map = baseMap(element);
    var data = readData("alert-map-data", { points: [], zones: [] });
    var bounds = L.latLngBounds([]);
    data.zones.forEach(function (zone) {
      var polygon = L.polygon(toLatLngs(zone.outline), ZONE_STYLE).bindTooltip(asText(zone.name)).addTo(map);
      bounds.extend(polygon.getBounds());
    });
    data.points.forEach(function (point) {
      L.circleMarker(point, { radius: 6, color: "#000", weight: 2, fillColor: "#ffbf47", fillOpacity: 1 }).addTo(map);
      bounds.extend(point);
    });
    fitTo(map, bounds, null);
  }

  // --- The zone list: every zone of the organisation -----------------------------------------

  function zoneMap(element) {
    var map = baseMap(element);
    var bounds = L.latLngBounds([]);
    readData("zones-data", []).forEach(function (zone) {
      var polygon = L.polygon(toLatLngs(zone.outline), ZONE_STYLE).bindTooltip(asText(zone.name + " · " + zone.kind)).addTo(map);
      if (zone.url) {
        polygon.on("click", function () { window.location.assign(zone.url); });
      }
      bounds.extend(polygon.getBounds());
    });
    drawSensors(map);
    fitTo(map, bounds, startPoint(element));
  }

  // --- Drawing a zone ----------------------------------------------------------------------------

  function readOutline(input) {
    try {
      var points = JSON.parse(input.value || "[]");
      return Array.isArray(points) ? points.filter(function (p) {
        return Array.isArray(p) && p.length === 2 && isFinite(p[0]) && isFinite(p[1]);
      }) : [];
    } catch (error) {
      return [];
    }
  }

  function round(value) { return Math.round(value * 1e6) / 1e6; }  // about 10 cm: plenty

  function zoneDraw(element) {
    var input = document.getElementById(element.getAttribute("data-outline-input"));
    if (!input) { return; }
    var map = baseMap(element);
    var points = readOutline(input);  // [longitude, latitude]
    var shape = null, corners = L.layerGroup().addTo(map);
    var counter = document.querySelector("[data-zone-count]");
    var others = L.latLngBounds([]);

    readData("zones-data", []).forEach(function (zone) {
      var polygon = L.polygon(toLatLngs(zone.outline), OTHER_ZONE_STYLE).addTo(map);
      others.extend(polygon.getBounds());
    });
    drawSensors(map);

    function redraw() {
      if (shape) { shape.remove(); }
      corners.clearLayers();
      var latlngs = toLatLngs(points);
      shape = latlngs.length >= 3 ? L.polygon(latlngs, DRAW_STYLE) : L.polyline(latlngs, DRAW_STYLE);
      shape.addTo(map);
      latlngs.forEach(function (latlng, index) {
        L.circleMarker(latlng, { radius: index === 0 ? 7 : 5, color: "#b3261e", weight: 2, fillColor: "#fff",
                                 fillOpacity: 1, interactive: false }).addTo(corners);
      });
      if (counter) { counter.textContent = String(points.length); }
    }

    function store() {
      input.value = JSON.stringify(points);
      redraw();
    }

    map.on("click", function (event) {
      points.push([round(event.latlng.lng), round(event.latlng.lat)]);
      store();
    });
    input.addEventListener("change", function () { points = readOutline(input); redraw(); });
    document.querySelectorAll("[data-zone-undo]").forEach(function (button) {
      button.addEventListener("click", function () { points.pop(); store(); });
    });
    document.querySelectorAll("[data-zone-clear]").forEach(function (button) {
      button.addEventListener("click", function () { points = []; store(); });
    });

    // The corners as text stay open only when they are what needs fixing.
    var outlineText = document.querySelector("[data-outline-text]");
    if (outlineText && !element.closest(".has-error")) { outlineText.open = false; }
    redraw();
    fitTo(map, points.length ? L.latLngBounds(toLatLngs(points)) : others, startPoint(element));
  }

  // --- Placing a sensor ----------------------------------------------------------------------------

  function readPoint(latInput, lonInput) {
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    return isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 ? null : L.latLng(lat, lon);
  }

  function pointPick(element) {
    var ids = element.getAttribute("data-point-pick").split(",");
    var latInput = document.getElementById(ids[0]), lonInput = document.getElementById(ids[1]);
    if (!latInput || !lonInput) { return; }
    var map = baseMap(element), marker = null, zones = L.latLngBounds([]);
    readData("zones-data", []).forEach(function (zone) {
      zones.extend(L.polygon(toLatLngs(zone.outline), OTHER_ZONE_STYLE).bindTooltip(asText(zone.name)).addTo(map).getBounds());
    });
    drawSensors(map);

    function place(latlng) {
      if (marker) { marker.remove(); marker = null; }
      if (latlng) {
        marker = L.circleMarker(latlng, { radius: 8, color: "#000", weight: 3, fillColor: "#ffbf47", fillOpacity: 1,
                                          interactive: false }).addTo(map);
      }
    }
    map.on("click", function (event) {
      latInput.value = round(event.latlng.lat);
      lonInput.value = round(event.latlng.lng);
      place(event.latlng);
    });
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () { place(readPoint(latInput, lonInput)); });
    });
    var start = readPoint(latInput, lonInput);
    place(start);
    if (start) { zones.extend(start); }
    fitTo(map, zones, startPoint(element));
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-alert-map]").forEach(alertMap);
    document.querySelectorAll("[data-zone-map]").forEach(zoneMap);
    document.querySelectorAll("[data-zone-draw]").forEach(zoneDraw);
    document.querySelectorAll("[data-point-pick]").forEach(pointPick);
  });
})();
