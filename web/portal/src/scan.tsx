// The codes a till scans: the member card as Code 128 and QR, a coupon as QR. Drawn on a canvas
// and shown as an image (the page's CSP allows data: images, not inline styles); the libraries
// load only when a code is first drawn, so the first page stays small.
import { useEffect, useState } from "preact/hooks";

interface Props {
  value: string;
  label: string;
}

export function QrCode({ value, label }: Props) {
  const [source, setSource] = useState("");
  useEffect(() => {
    let live = true;
    import("qrcode")
      .then((qrcode) => qrcode.toDataURL(value, { errorCorrectionLevel: "M", margin: 2, width: 192 }))
      .then((url) => live && setSource(url))
      // Without the library (a lost connection while it loaded) the code stays as text beside it.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [value]);
  return source ? <img class="qr" src={source} alt={label} width={192} height={192} /> : <span class="qr" />;
}

export function Code128({ value, label }: Props) {
  const [source, setSource] = useState("");
  useEffect(() => {
    let live = true;
    import("jsbarcode").then(({ default: barcode }) => {
      const canvas = document.createElement("canvas");
      barcode(canvas, value, { format: "CODE128", displayValue: true, margin: 8, height: 72, width: 2 });
      if (live) setSource(canvas.toDataURL("image/png"));
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [value]);
  return source ? <img class="barcode" src={source} alt={label} /> : <span class="barcode" />;
}
