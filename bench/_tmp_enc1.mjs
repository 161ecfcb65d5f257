import sharp from "sharp";
await sharp("/dev/shm/t.v").jpeg({quality:85, optimiseCoding:true}).toBuffer();
console.error("MARK");
await sharp("/dev/shm/t.v").jpeg({quality:85, optimiseCoding:true}).toBuffer();
