// Replay of one lock's track: a slider (and play button) moves the lock's marker along the track
// in time order; stamps (green) and refusals (red) are marked where they happened. Drawn on the
// same map as lock-map.js, so it works without tiles too.
(function () {
  'use strict';
  var lockMap = window.smartSealLockMap;
  var slider = document.getElementById('replay-slider');
  if (!lockMap || !window.L) { return; }
  var data = lockMap.data;
  var map = lockMap.map;

  (data.events || []).forEach(function (e) {
    var refusal = e.kind === 'refusal';
    L.circleMarker([e.lat, e.lon], {
      radius: refusal ? 8 : 6, color: refusal ? '#b3261e' : '#1b7f3b', fillColor: refusal ? '#ffffff' : '#1b7f3b',
      fillOpacity: 1, weight: refusal ? 4 : 2, className: 'map-event map-event-' + e.kind
    }).addTo(map).bindTooltip(e.label);
  });

  if (!slider || !data.track || data.track.length < 2) { return; }
  var output = document.getElementById('replay-at');
  var play = document.getElementById('replay-play');
  // The lock's own marker (lock-map.js) moves back in time; live positions move it forward again.
  var marker = lockMap.marker || L.circleMarker(data.track[data.track.length - 1], { radius: 7, color: '#b3261e' }).addTo(map);
  var timer = null;

  function show(index) {
    index = Math.max(0, Math.min(data.track.length - 1, index));
    marker.setLatLng(data.track[index]);
    output.textContent = data.labels[index];
    document.documentElement.setAttribute('data-replay-index', String(index));
  }

  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    play.textContent = play.getAttribute('data-play');
  }

  slider.addEventListener('input', function () { stop(); show(parseInt(slider.value, 10)); });
  play.addEventListener('click', function () {
    if (timer) { stop(); return; }
    if (parseInt(slider.value, 10) >= data.track.length - 1) { slider.value = '0'; }
    play.textContent = play.getAttribute('data-pause');
    show(parseInt(slider.value, 10));
    // About 10 s for the whole track, at least 50 ms per step.
    var step = Math.max(50, Math.floor(10000 / data.track.length));
    timer = setInterval(function () {
      var next = parseInt(slider.value, 10) + 1;
      if (next >= data.track.length) { stop(); return; }
      slider.value = String(next);
      show(next);
    }, step);
  });
  show(parseInt(slider.value, 10));
})();
