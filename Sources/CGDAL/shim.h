#ifndef LODE_CGDAL_SHIM_H
#define LODE_CGDAL_SHIM_H
// The parts of GDAL that LodeGeo uses: rasters (gdal.h), vectors (ogr_api.h),
// coordinate systems (ogr_srs_api.h), configuration and error reporting (cpl_*.h).
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#endif
