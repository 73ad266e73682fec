import { useEffect, useRef, useState } from 'react';

/** The parts of the Shape Detection API used here (not in TypeScript's DOM types yet). */
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options?: { formats?: string[] }): BarcodeDetectorLike;
  getSupportedFormats?: () => Promise<string[]>;
}

function detectorClass(): BarcodeDetectorClass | null {
  const candidate = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  return typeof candidate === 'function' ? candidate : null;
}

/** Whether this browser can read QR codes from the camera at all (checked without asking for it). */
export async function cameraScanSupported(): Promise<boolean> {
  const Detector = detectorClass();
  if (!Detector || !navigator.mediaDevices?.getUserMedia) return false;
  try {
    const formats = Detector.getSupportedFormats ? await Detector.getSupportedFormats() : ['qr_code'];
    return formats.includes('qr_code');
  } catch {
    return false;
  }
}

/**
 * The camera as a QR reader, offered only where the browser has `BarcodeDetector` (Chrome on
 * Android, ChromeOS, macOS; not Firefox or desktop Linux): elsewhere it says so and the typed
 * code field above does the job. Every code seen is passed to `onCode` (the page filters repeats).
 */
export function CameraScanner({ onCode, paused }: { onCode: (code: string) => void; paused: boolean }) {
  const [supported, setSupported] = useState<boolean | null>(null);
  const [on, setOn] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const onCodeRef = useRef(onCode);
  const pausedRef = useRef(paused);
  onCodeRef.current = onCode;
  pausedRef.current = paused;

  useEffect(() => {
    let alive = true;
    void cameraScanSupported().then((ok) => alive && setSupported(ok));
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    if (!on) return;
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    const tick = async () => {
      const el = video.current;
      if (stopped || !el) return;
      if (!pausedRef.current && el.readyState >= 2) {
        try {
          const found = await detector.detect(el);
          const value = found[0]?.rawValue;
          if (value && !stopped) onCodeRef.current(value);
        } catch {
          // A frame that can't be read: try the next one.
        }
      }
      timer = setTimeout(() => void tick(), 250);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        if (stopped || !video.current) {
          s.getTracks().forEach((t) => t.stop());
          return;
        }
        video.current.srcObject = s;
        // `muted` + `playsInline` may autoplay; a refused play() only delays the first frame.
        video.current.play().catch(() => undefined);
        void tick();
      })
      .catch((error: unknown) => {
        const name = error instanceof DOMException ? error.name : '';
        const why =
          name === 'NotAllowedError' ? 'permission to use it was refused'
          : name === 'NotFoundError' || name === 'OverconstrainedError' ? 'no camera was found'
          : name === 'NotReadableError' ? 'another app is using it'
          : `it failed${error instanceof Error && error.message ? `: ${error.message}` : ''}`;
        setProblem(`The camera could not be started (${why}). Type or paste the code instead.`);
        setOn(false);
      });
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [on]);

  if (supported === null) return null;
  if (!supported) {
    return (
      <p className="muted camera-missing">
        This browser can't read QR codes with the camera: type or paste the code (a handheld scanner that types works too).
      </p>
    );
  }
  return (
    <div className="camera">
      <div>
        <button type="button" className="btn" aria-pressed={on} onClick={() => { setProblem(null); setOn((v) => !v); }}>
          {on ? 'Stop the camera' : 'Scan with the camera'}
        </button>
      </div>
      {problem && <p className="field-error" role="alert">{problem}</p>}
      {on && <video ref={video} muted playsInline aria-label="Camera view: hold the ticket's QR code in front of it" />}
    </div>
  );
}
