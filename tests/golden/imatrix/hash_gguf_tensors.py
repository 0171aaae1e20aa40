#!/usr/bin/env python3
# Per tensor of a GGUF file: its ggml type, byte count and FNV-1a 64 of its bytes, as JSON
# (made demo-policy.llama-quantize.json from llama-quantize's output; see COMMAND.md).
# Usage: python3 hash_gguf_tensors.py FILE.gguf > OUT.json   (standard library only)
import json
import struct
import sys
TS={0:(4,1),1:(2,1),8:(34,32),10:(84,256),11:(110,256),12:(144,256),13:(176,256),14:(210,256),20:(18,32),23:(136,256),2:(18,32),3:(20,32),6:(22,32),7:(24,32),30:(2,1)}
def read(path):
    d=open(path,'rb').read(); pos=[0]
    def take(fmt):
        v=struct.unpack_from(fmt,d,pos[0]); pos[0]+=struct.calcsize(fmt); return v[0]
    def s():
        n=take('<Q'); v=d[pos[0]:pos[0]+n]; pos[0]+=n; return v.decode('utf-8','replace')
    fm={0:'<B',1:'<b',2:'<H',3:'<h',4:'<I',5:'<i',6:'<f',7:'<?',10:'<Q',11:'<q',12:'<d'}
    def val(t):
        if t==8: return s()
        if t==9:
            et=take('<I'); n=take('<Q'); return [val(et) for _ in range(n)]
        return take(fm[t])
    pos[0]=4; take('<I'); nt=take('<Q'); nkv=take('<Q'); kv={}
    for _ in range(nkv):
        k=s(); t=take('<I'); v=val(t); kv[k]=(t,v if not k.startswith('tokenizer') else '...')
    infos=[]
    for _ in range(nt):
        n=s(); nd=take('<I'); ne=[take('<Q') for _ in range(nd)]; t=take('<I'); off=take('<Q'); infos.append((n,ne,t,off))
    al=kv.get('general.alignment',(4,32))[1]
    base=(pos[0]+al-1)//al*al
    out={}
    for n,ne,t,off in infos:
        cnt=1
        for x in ne: cnt*=x
        bs,bk=TS[t]; nb=cnt//bk*bs
        out[n]=(t,ne,d[base+off:base+off+nb])
    return kv,out

names={0:'f32',1:'f16',8:'q8_0',11:'q3_K',12:'q4_K',13:'q5_K',14:'q6_K',23:'iq4_xs'}
def fnv(b):
    h=1469598103934665603
    for c in b:
        h^=c; h=(h*1099511628211)&0xFFFFFFFFFFFFFFFF
    return '%016x'%h
kv,t=read(sys.argv[1])
out={n:{'type':names[v[0]],'bytes':len(v[2]),'fnv1a64':fnv(v[2])} for n,v in t.items()}
json.dump({'made_by':'llama-quantize (llama.cpp 0a50d9909a3478e82679f505bf8595d1eee4b0a8), see COMMAND.md','tensors':out},sys.stdout,indent=1,sort_keys=True)
