# prints "endpoint name type labels" for each family of a scrape; labels "-" none, "?" no samples to tell
import re, sys
def families(path):
    fam = {}; typ = {}; order = []
    for line in open(path):
        if line.startswith('# TYPE'):
            _, _, n, t = line.split(); typ[n] = t; fam.setdefault(n, None); order.append(n)
        elif line.startswith('#') or not line.strip():
            continue
        else:
            m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ', line)
            name = m.group(1); labels = set(re.findall(r'([a-zA-Z_]+)="', m.group(3) or ''))
            base = name
            if base not in typ:
                for suf in ['_count', '_sum', '_bucket']:
                    if name.endswith(suf) and name[:-len(suf)] in typ: base = name[:-len(suf)]
            labels -= {'quantile', 'le'}
            fam[base] = (fam[base] or set()) | labels
    return [(n, typ[n], '?' if fam[n] is None else (','.join(sorted(fam[n])) or '-')) for n in order]
for endpoint, path in zip(sys.argv[1::2], sys.argv[2::2]):
    for n, t, l in families(path):
        print(endpoint, n, t, l)
