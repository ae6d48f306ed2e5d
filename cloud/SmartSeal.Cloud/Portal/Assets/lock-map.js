// The locks map: last fixes of all locks, or one lock's track and geofence; new positions arrive
// on the live stream and extend the track (and the positions table) without a reload.
(function () {
  'use strict';
  var element = document.getElementById('lock-map');
  if (!element || !window.L) { return; }
  var data = JSON.parse(document.getElementById('map-data').textContent);
  var map = window.smartSealMap(element);
  var bounds = [];
  var markers = {};

  if (data.fence && data.fence.circle) {
    var c = data.fence.circle;
    var circle = L.circle([c.lat, c.lon], { radius: c.radiusM, color: '#1a5fd0', fill: false, dashArray: '6 4' }).addTo(map);
    bounds.push(circle.getBounds().getNorthWest(), circle.getBounds().getSouthEast());
  } else if (data.fence && data.fence.polygon) {
    L.polygon(data.fence.polygon, { color: '#1a5fd0', fill: false, dashArray: '6 4' }).addTo(map);
    bounds = bounds.concat(data.fence.polygon);
  }

  var track = null;
  if (data.device) {
    track = L.polyline(data.track, { color: '#b3261e', weight: 4 }).addTo(map);
    bounds = bounds.concat(data.track);
    if (data.track.length > 0) {
      markers[data.device] = L.circleMarker(data.track[data.track.length - 1], { radius: 7, color: '#b3261e' }).addTo(map).bindTooltip(data.device);
    }
  } else {
    data.locks.forEach(function (l) {
      markers[l.id] = L.circleMarker([l.lat, l.lon], { radius: 7, color: l.online ? '#1b7f3b' : '#5b6472' }).addTo(map).bindTooltip(l.id);
      bounds.push([l.lat, l.lon]);
    });
  }
  if (bounds.length > 0) { map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); }
  window.smartSealLockMap = { map: map, data: data, marker: data.device ? markers[data.device] : null };

  var live = document.getElementById('map-live');
  var rows = document.getElementById('position-rows');
  var template = document.getElementById('live-row-text').innerHTML;
  var received = 0;
  window.smartSealLive({
    'device-event': function (e) {
      if (!e || e.type !== 'position' || !e.body || !e.body.fix) { return; }
      if (data.device && e.deviceId !== data.device) { return; }
      var point = [e.body.fix.lat / 1e7, e.body.fix.lon / 1e7];
      if (track) { track.addLatLng(point); }
      if (markers[e.deviceId]) { markers[e.deviceId].setLatLng(point); }
      else { markers[e.deviceId] = L.circleMarker(point, { radius: 7, color: '#1b7f3b' }).addTo(map).bindTooltip(e.deviceId); }
      received++;
      live.textContent = template.replace('{0}', received).replace('{1}', e.deviceId);
      if (rows) {
        var row = rows.insertRow(0);
        [new Date(e.deviceMs).toLocaleString(), point[0].toFixed(6), point[1].toFixed(6), Math.round((e.body.fix.acc || 0) / 100) + ' m'].forEach(function (text) {
          row.insertCell().textContent = text;
        });
      }
    }
  }, data.device);
})();
