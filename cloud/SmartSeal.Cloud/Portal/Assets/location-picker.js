// The application form's location limit: a circle (click = centre) or a polygon (click = next
// corner) drawn on the map, kept in step with the typed fields (which work without the map).
(function () {
  'use strict';
  var element = document.getElementById('location-map');
  if (!element || !window.L) { return; }
  var form = document.getElementById('application-form');
  var lat = form.querySelector('[name=CircleLat]');
  var lon = form.querySelector('[name=CircleLon]');
  var radius = form.querySelector('[name=CircleRadius]');
  var polygon = form.querySelector('[name=PolygonText]');
  var map = window.smartSealMap(element);
  var shape = null;

  function kind() {
    var checked = form.querySelector('[name=LocationKind]:checked');
    return checked ? checked.value : 'none';
  }

  function points() {
    return polygon.value.split(/[\n;]/).map(function (line) {
      var parts = line.trim().split(/[ ,]+/).map(parseFloat);
      return parts.length === 2 && !isNaN(parts[0]) && !isNaN(parts[1]) ? parts : null;
    }).filter(function (p) { return p; });
  }

  function redraw() {
    var k = kind();
    document.querySelectorAll('[data-location]').forEach(function (block) {
      block.hidden = block.getAttribute('data-location') !== k;
    });
    element.hidden = k === 'none';
    if (shape) { map.removeLayer(shape); shape = null; }
    if (k === 'circle' && lat.value && lon.value) {
      shape = L.circle([parseFloat(lat.value), parseFloat(lon.value)], { radius: parseFloat(radius.value) || 100, color: '#b3261e' }).addTo(map);
    } else if (k === 'polygon' && points().length > 0) {
      shape = L.polygon(points(), { color: '#b3261e' }).addTo(map);
    }
    if (!element.hidden) { map.invalidateSize(); }
  }

  map.on('click', function (e) {
    var p = [e.latlng.lat.toFixed(6), e.latlng.lng.toFixed(6)];
    if (kind() === 'circle') {
      lat.value = p[0];
      lon.value = p[1];
    } else if (kind() === 'polygon') {
      polygon.value = (polygon.value.trim() ? polygon.value.trim() + '\n' : '') + p[0] + ', ' + p[1];
    }
    redraw();
  });
  form.addEventListener('input', redraw);
  form.addEventListener('change', redraw);
  document.getElementById('polygon-clear').addEventListener('click', function () { polygon.value = ''; redraw(); });
  redraw();
  if (shape && shape.getBounds) { map.fitBounds(shape.getBounds(), { maxZoom: 15 }); }
})();
