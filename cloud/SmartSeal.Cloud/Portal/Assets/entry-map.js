// The small map of a ledger entry's position: a marker and the fix's accuracy as a circle.
(function () {
  'use strict';
  var element = document.getElementById('entry-map');
  if (!element || !window.L) {
    return;
  }

  var map = window.smartSealMap(element);
  var lat = parseFloat(element.getAttribute('data-lat'));
  var lon = parseFloat(element.getAttribute('data-lon'));
  var accuracy = parseFloat(element.getAttribute('data-accuracy')) || 0;
  L.circleMarker([lat, lon], { radius: 6, color: '#b71c1c' }).addTo(map).bindTooltip(element.getAttribute('aria-label') || '');
  if (accuracy > 0) {
    L.circle([lat, lon], { radius: accuracy, color: '#b71c1c', weight: 1, fillOpacity: 0.1 }).addTo(map);
  }
  map.setView([lat, lon], 16);
  element.setAttribute('data-ready', 'true');
})();
