"""Stand-ins for the risk styles (styles/results/risk_*.qml): an address list like
layers/risk writes (points with rang, score, adres) and a relative-risk raster (1 where no
factor is present, products of relative risk values elsewhere). Used by test_qml.py."""

import os
import random
import struct

from osgeo import gdal, ogr, osr

import standin_store


def build(outdir, seed=13):
    rnd = random.Random(seed)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    path = os.path.join(outdir, "risk_results.gpkg")
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer("risk_adreslijst", srs, ogr.wkbPoint)
    for name, kind in (("rang", ogr.OFTInteger), ("score", ogr.OFTReal),
                       ("adres", ogr.OFTString), ("vertrouwelijkheid", ogr.OFTString)):
        lyr.CreateField(ogr.FieldDefn(name, kind))
    x0, y0, x1, y1 = standin_store.X0, standin_store.Y0, standin_store.X1, standin_store.Y1
    scores = sorted((rnd.uniform(0.5, 11.0) for _ in range(60)), reverse=True)
    for rang, score in enumerate(scores, 1):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("rang", rang)
        f.SetField("score", score)
        f.SetField("adres", "Hoofdweg {}, Loppersum".format(rang))
        f.SetField("vertrouwelijkheid", "VERTROUWELIJK")
        f.SetGeometry(ogr.CreateGeometryFromWkt("POINT({} {})".format(
            rnd.uniform(x0, x1), rnd.uniform(y0, y1))))
        lyr.CreateFeature(f)
    ds = None
    tif = os.path.join(outdir, "risk_relatief.tif")
    px = 250
    nx, ny = int((x1 - x0) / px), int((y1 - y0) / px)
    r = gdal.GetDriverByName("GTiff").Create(tif, nx, ny, 1, gdal.GDT_Float32)
    r.SetGeoTransform((x0, px, 0, y1, 0, -px))
    r.SetProjection(srs.ExportToWkt())
    band = r.GetRasterBand(1)
    for row in range(ny):
        vals = [rnd.choice([1.0, 1.0, 1.0, 1.8, 3.2, 5.8, 10.4]) for _ in range(nx)]
        band.WriteRaster(0, row, nx, 1, struct.pack("%df" % nx, *vals))
    band.SetNoDataValue(-9999)
    r = None
    return {"risk_results": path, "risk_relatief": tif}
