// Reading the QR code a till prints under a receipt it sold without a card: a photo of the
// receipt (the phone's camera, through the file input) is decoded by jsQR, loaded only when a
// member scans, and its JSON names the receipt as the claim route wants it.
export interface ReceiptCode {
    store: string;
    terminal: string;
    business_day: string;
    receipt: string;
    total: number;
}

// The code's text, or null when it is not a Patron receipt code.
export function parseReceiptCode(text: string): ReceiptCode|null {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return null;
    }
    if (typeof value !== 'object' || value === null) return null;
    const code = value as Record<string, unknown>;
    const texts = ['store', 'terminal', 'business_day', 'receipt'].every((name) => typeof code[name] === 'string');
    if (code.patron !== 'receipt' || !texts || !Number.isSafeInteger(code.total)) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(code.business_day as string)) return null;
    return {
        store: code.store as string,
        terminal: code.terminal as string,
        business_day: code.business_day as string,
        receipt: code.receipt as string,
        total: code.total as number,
    };
}

// A phone photo is large; a QR code on a receipt is read well from 1600 pixels across.
const kLongestSide = 1600;

export async function readReceiptCode(picture: Blob): Promise<ReceiptCode|null> {
    const [{default: jsQR}, bitmap] = await Promise.all([import('jsqr'), createImageBitmap(picture)]);
    const scale = Math.min(1, kLongestSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', {willReadFrequently: true});
    if (!context) return null;
    context.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const found = jsQR(context.getImageData(0, 0, width, height).data, width, height);
    return found ? parseReceiptCode(found.data) : null;
}
