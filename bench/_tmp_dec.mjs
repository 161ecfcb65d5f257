import sharp from "sharp";
import {readFileSync, writeFileSync} from "node:fs";
const flt=()=>Number(readFileSync("/proc/self/stat","utf8").split(") ")[1].split(" ")[7]);
const src = "/work/shared/fixtures/images/grid-toastybob.jpg";
const big = await sharp(src).resize(3000, 4000, {fit:"fill"}).jpeg({quality:90}).toBuffer();
async function t(name, f, n=8){ const r=[]; for(let i=0;i<n;i++){const f0=flt(); const s=performance.now(); const c0=process.cpuUsage(); await f(); const c=process.cpuUsage(c0); r.push((performance.now()-s).toFixed(0)+"/"+((c.user+c.system)/1000).toFixed(0)+"/f"+(flt()-f0));} console.log(name.padEnd(28), r.join(" "));}
const W=1060,H=1413;
await t("1.5 resize->v rgba", ()=>sharp(big).resize(W,H).toColourspace("srgb").ensureAlpha().toFile("/dev/shm/x.v"));
await t("1.5 resize->v rgb", ()=>sharp(big).resize(W,H).toColourspace("srgb").toFile("/dev/shm/x.v"));
await t("1.5 resize->raw rgba", ()=>sharp(big).resize(W,H).toColourspace("srgb").ensureAlpha().raw().toBuffer());
await t("1.5 resize->jpeg", ()=>sharp(big).resize(W,H).jpeg({quality:85}).toBuffer());
await t("1.5 resize only->null", ()=>sharp(big).resize(W,H).raw().toBuffer());
await t("1.5 shrink only (1500)", ()=>sharp(big).resize(1500,2000).raw().toBuffer());
await t("12 ->v rgba", ()=>sharp(big).toColourspace("srgb").ensureAlpha().toFile("/dev/shm/x.v"));
await t("12 ->raw", ()=>sharp(big).raw().toBuffer());
