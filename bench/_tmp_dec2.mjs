import sharp from "sharp";
const src = "/work/shared/fixtures/images/grid-toastybob.jpg";
const big = await sharp(src).resize(3000, 4000, {fit:"fill"}).jpeg({quality:90}).toBuffer();
console.log(await sharp(big).metadata().then(m=>[m.width,m.height,m.chromaSubsampling]));
async function t(name, f, n=6){ const r=[]; for(let i=0;i<n;i++){const s=performance.now(); await f(); r.push((performance.now()-s).toFixed(0));} console.log(name.padEnd(28), r.join(" "));}
for (const w of [3000, 1500, 1060, 750, 375, 300]) {
  await t("resize w"+w, ()=>sharp(big).resize(w).raw().toBuffer());
  await t("resize w"+w+" noFast", ()=>sharp(big).resize(w,null,{fastShrinkOnLoad:false}).raw().toBuffer());
}
sharp.concurrency(1);
await t("c1 full", ()=>sharp(big).raw().toBuffer());
await t("c1 w1500", ()=>sharp(big).resize(1500).raw().toBuffer());
await t("c1 w750", ()=>sharp(big).resize(750).raw().toBuffer());
