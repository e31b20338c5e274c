// Chart.js with only the pieces the dashboard draws, registered here; loaded when a chart is first
// drawn, so sections without charts never download it. It styles its canvas through the DOM,
// which the page's strict CSP allows (no inline style or script in the page).
import {ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController} from 'chart.js';
import {type ChartConfiguration, Legend, LinearScale, Tooltip} from 'chart.js';
import type {Language} from '@patron/common/i18n';

import type {Series, Shape} from './chart';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, DoughnutController, ArcElement);

// Colours far enough apart to tell the series apart, each dark enough to read on white; the
// legend and the table name every series in words too.
const colours = ['#0b5cad', '#c2571a', '#5b8c2a', '#7a4fa3', '#a4161a', '#2a8c89', '#8a6d00', '#4a5264'];

export function draw(
    canvas: HTMLCanvasElement, language: Language, shape: Shape, categories: string[], series: Series[]) {
    const rtl = language === 'fa';
    const drawn = series.filter((one) => one.drawn !== false);
    const direction = rtl ? 'rtl' : 'ltr';
    const font = {family: getComputedStyle(canvas).fontFamily, size: 13};
    // Counts and money step by whole numbers; a share's axis reaches its whole.
    const valueTicks = {font, precision: 0, callback: (value: string|number) => drawn[0]!.format(Number(value))};
    const suggestedMax = drawn[0]!.max;
    const categoryTicks = {font};
    const across = shape === 'across';
    const config: ChartConfiguration = {
        type: shape === 'doughnut' ? 'doughnut' : 'bar',
        data: {
            labels: categories,
            datasets: drawn.map(
                (one, index) => ({
                    label: one.label,
                    data: one.values,
                    backgroundColor: shape === 'doughnut' ? categories.map((_, at) => colours[at % colours.length]) :
                                                            colours[index],
                    borderColor: shape === 'doughnut' ? '#ffffff' : colours[index],
                    borderWidth: 1,
                })),
        },
        options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            indexAxis: across ? 'y' : 'x',
            plugins: {
                legend: {rtl, textDirection: direction, position: 'bottom', labels: {font}},
                tooltip: {
                    rtl,
                    textDirection: direction,
                    bodyFont: font,
                    titleFont: font,
                    callbacks: {
                        label: (item) => {
                            const one = drawn[item.datasetIndex]!;
                            const name = shape === 'doughnut' ? item.label : one.label;
                            return `${name}: ${one.format(Number(item.raw))}`;
                        },
                    },
                },
            },
            scales: shape === 'doughnut' ? {} : {
                // Time and ranks run the way the page reads; the values' axis stands at its start.
                x: across ? {reverse: rtl, ticks: valueTicks, beginAtZero: true, suggestedMax} :
                            {reverse: rtl, ticks: categoryTicks},
                y: across ? {position: rtl ? 'right' : 'left', ticks: categoryTicks} :
                            {position: rtl ? 'right' : 'left', ticks: valueTicks, beginAtZero: true, suggestedMax},
            },
        },
    };
    return new Chart(canvas, config);
}
