// Shared map set-up: Leaflet with the configured tiles, or none (a blank grid background) when no
// tile URL is configured, so maps work on networks without internet access.
(function () {
  'use strict';
  window.smartSealMap = function (element) {
    var lat = parseFloat(element.getAttribute('data-lat')) || 0;
    var lon = parseFloat(element.getAttribute('data-lon')) || 0;
    var map = L.map(element, { keyboard: true }).setView([lat, lon], 13);
    var tiles = element.getAttribute('data-tiles');
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: element.getAttribute('data-attribution') || '' }).addTo(map);
    } else {
      element.classList.add('blank');
    }
    return map;
  };
})();
