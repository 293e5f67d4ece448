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
      return L.circleMarker(ll, { radius: 6, color: '#2c3e50', fillOpacity: 0.8 })
        .bindTooltip(f.properties.label);
    }
  }).addTo(map);
  if (d.homes) {
    L.geoJSON(d.homes, {
      pointToLayer: function (f, ll) {
        return L.circleMarker(ll, { radius: 3, color: f.properties.color, fillOpacity: 0.9, weight: 1 })
          .bindTooltip(f.properties.label);
      }
    }).addTo(map);
  }
  var fit = function () { if (streets.getBounds().isValid()) map.fitBounds(streets.getBounds()); };
  fit();
  // The printed map is wider than the screen's: redraw it at the page's size.
  window.addEventListener('beforeprint', function () { map.invalidateSize(); fit(); });
  window.addEventListener('afterprint', function () { map.invalidateSize(); fit(); });
})();
