import sharp from "sharp";
import {readFileSync} from "node:fs";
const flt=()=>Number(readFileSync("/proc/self/stat","utf8").split(") ")[1].split(" ")[7]);
const r=[]; for(let i=0;i<10;i++){const f0=flt(); const s=performance.now(); const c0=process.cpuUsage(); await sharp(process.argv[2]??"/dev/shm/t.v").jpeg({quality:85, optimiseCoding:true}).toBuffer(); const c=process.cpuUsage(c0); r.push((performance.now()-s).toFixed(0)+"/"+((c.user+c.system)/1000).toFixed(0)+"/f"+(flt()-f0));}
console.log(r.join(" "));
