// The living-circle map: streets and facilities from the page's own GeoJSON (no online tiles).
(function () {
  var el = document.getElementById('circle-map');
  var data = document.getElementById('circle-data');
  if (!el || !data || !window.L) return;
  var d = JSON.parse(data.textContent);
  var map = L.map(el, { preferCanvas: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(d.attribution);
  var streets = L.geoJSON(d.streets, {
    style: function (f) { return { color: f.properties.color, weight: 1.5 }; }
  }).addTo(map);
  L.geoJSON(d.facilities, {
    pointToLayer: function (f, ll) {
      return L.circleMarker(ll, { radius: 6, color: '#c0392b', fillOpacity: 0.8 })
        .bindTooltip(f.properties.label);
    }
  }).addTo(map);
  if (streets.getBounds().isValid()) map.fitBounds(streets.getBounds());
})();
