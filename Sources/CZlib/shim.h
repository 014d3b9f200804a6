#ifndef MEMPORT_CZLIB_SHIM_H
#define MEMPORT_CZLIB_SHIM_H

#include <zlib.h>

/// inflateInit2 is a macro, which Swift cannot call: this wraps it for a gzip stream
/// (window bits 15 + 16: gzip header and trailer required).
static inline int memport_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}

/// deflateInit2 is a macro too: this wraps it for a gzip stream (window bits 15 + 16 write a
/// gzip header and trailer; memory level 8, the default strategy).
static inline int memport_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/// A raw deflate stream (window bits -15: no header or trailer), as zip entries hold.
static inline int memport_inflate_init_raw(z_streamp stream) {
    return inflateInit2(stream, -15);
}

#endif
