// Charts for the manager's day screen, drawn with Chart.js (canvas). Only the pieces used are
// registered, so the bundle stays small; animation is off (a till's screen, and repeatable
// screenshots).
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);

const PALETTE = ['#0f766e', '#b45309', '#1d4ed8', '#6d28d9', '#15803d', '#be123c'];

/** A bar chart of counts per label. */
export function barChart(canvas: HTMLCanvasElement, labels: string[], values: number[], title: string): Chart {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: title, data: values, backgroundColor: '#0e7490' }] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

/** A doughnut of counts per label. */
export function doughnutChart(canvas: HTMLCanvasElement, labels: string[], values: number[]): Chart {
  return new Chart(canvas, {
    type: 'doughnut',
    data: { labels, datasets: [{ data: values, backgroundColor: labels.map((_, i) => PALETTE[i % PALETTE.length]) }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'right' } } },
  });
}
