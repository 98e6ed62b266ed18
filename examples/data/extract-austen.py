#!/usr/bin/env python3
"""Rebuild austen.txt from Debian's r-cran-janeaustenr package, without R.

    apt-get download r-cran-janeaustenr
    dpkg-deb -x r-cran-janeaustenr_*.deb pkg
    python3 extract-austen.py pkg/usr/lib/R/site-library/janeaustenr/data/Rdata > austen.txt

The package keeps each novel as an R character vector (one element per
line) in R's lazy-load database: Rdata.rdx (a gzip'd serialized index of
offsets) and Rdata.rdb (zlib'd serialized objects). This reads just enough
of R's XDR serialization format for that.
"""
import gzip
import struct
import sys
import zlib

# Publication order.
NOVELS = ["sensesensibility", "prideprejudice", "mansfieldpark", "emma",
          "northangerabbey", "persuasion"]


class Reader:
    def __init__(self, data):
        assert data[:2] == b"X\n", "not an XDR serialization"
        self.b, self.p, self.refs = data, 2, []
        version = self.int()
        self.int(), self.int()  # writer and minimal reader R versions
        if version == 3:
            skip = self.int()  # the native encoding's name
            self.p += skip

    def int(self):
        (v,) = struct.unpack(">i", self.b[self.p:self.p + 4])
        self.p += 4
        return v

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind == 254:  # NULL
            return None
        if kind == 255:  # a symbol seen before
            return self.refs[(flags >> 8) - 1]
        if kind == 1:  # symbol
            self.refs.append(("sym", self.item()))
            return self.refs[-1]
        if kind == 9:  # one string
            n = self.int()
            if n == -1:
                return None
            s = self.b[self.p:self.p + n]
            self.p += n
            return s
        if kind == 2:  # pairlist (attributes)
            out = []
            while kind == 2:
                if has_attr:
                    self.item()
                tag = self.item() if has_tag else None
                out.append((tag, self.item()))
                flags = self.int()
                kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
            assert kind == 254
            return dict((t[1].decode(), v) for t, v in out)
        if kind in (16, 19):  # character vector, list
            value = [self.item() for _ in range(self.int())]
        elif kind in (10, 13):  # logical, integer
            value = [self.int() for _ in range(self.int())]
        else:
            raise ValueError("unexpected R type %d" % kind)
        attrs = self.item() if has_attr else {}
        return (value, attrs)


def main(base):
    index, attrs = Reader(gzip.decompress(open(base + ".rdx", "rb").read())).item()
    variables, var_attrs = index[attrs["names"][0].index(b"variables")]
    where = dict(zip((n.decode() for n in var_attrs["names"][0]),
                     (v[0] for v in variables)))
    rdb = open(base + ".rdb", "rb").read()
    out = sys.stdout.buffer
    for i, name in enumerate(NOVELS):
        offset, length = where[name]
        blob = rdb[offset:offset + length]
        (size,) = struct.unpack(">I", blob[:4])
        data = zlib.decompress(blob[4:])
        assert len(data) == size
        lines, _ = Reader(data).item()
        if i:
            out.write(b"\n\n\n\n")
        out.write(b"\n".join(line or b"" for line in lines).rstrip(b"\n") + b"\n")


if __name__ == "__main__":
    main(sys.argv[1])
