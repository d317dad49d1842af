"""Round 2026.5 as a replacement: add its statements, withdraw as many similar polished ones.

    python training/candidates/round2026_5/replace_experiment.py     # writes /tmp/r5rep
    python tools/realdev_round.py --release /tmp/r5rep --seed 0

For each new statement, the most similar train-split English statement of the cis, csto,
sco_rats, wire and eag styles with the same label set (TF-IDF word 1-2-gram cosine) is
withdrawn, each at most once. Measured in session 8; see README.md.
"""
import json, numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from themes.corpus import merge_releases, shipped_releases, is_test_id, write_release
st,_=merge_releases(shipped_releases())
new=[]
for f in ('en_agencies','en_bodies'):
    new+=[json.loads(l) for l in open(f'training/candidates/round2026_5/{f}.jsonl')]
new=[r for r in new if 'abandon' not in r['text'].lower()]
pool=[s for s in st if s.lang=='en' and s.style in ('cis','csto','sco_rats','wire','eag') and not is_test_id(s.id)]
print(len(new), len(pool))
vec=TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True).fit([s.text for s in pool]+[r['text'] for r in new])
P=vec.transform([s.text for s in pool]); N=vec.transform([r['text'] for r in new])
sim=(N@P.T).toarray()
taken=set(); removed=[]
order=np.argsort(-sim.max(1))
for i in order:
    same=[j for j in np.argsort(-sim[i]) if j not in taken and tuple(sorted(pool[j].themes))==tuple(sorted(new[i]['themes']))]
    if same:
        taken.add(same[0]); removed.append(pool[same[0]].id)
print('removed', len(removed))
recs=new+[{"id":i,"deleted":True} for i in removed]
write_release(recs,'/tmp/r5rep','2026.5',builds_on='2026.4',force=True)
